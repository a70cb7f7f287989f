// What the console server (server/console.ts) checks on the raw request before Next sees it:
// things Next turns into a bare 500 or an HTML page (a method its Request class refuses, a
// malformed percent-escape in a route parameter, dot segments it normalizes away), and the
// headers only the server itself may set.

/** The TCP peer's address, for the Host allowlist's trusted proxies. Set by the console server only. */
export const PEER_ADDRESS_HEADER = "x-certgate-peer-address";
/** Marks a method Next cannot route (TRACE, CONNECT, …), forwarded as OPTIONS for the route's 405 (lib/api/methods.ts). */
export const REFUSED_METHOD_HEADER = "x-certgate-refused-method";

/**
 * Set only on requests that arrived on the API client-certificate port (CERTGATE_API_MTLS_PORT):
 * `sha256=<hex of the presented certificate's DER>`, or `none` when the client sent no certificate.
 * Its presence means "authenticate this request by the certificate, and by nothing else".
 */
export const CLIENT_CERTIFICATE_HEADER = "x-certgate-client-certificate";

/** Headers a client may never send: the server sets them. */
export const SERVER_SET_HEADERS = [PEER_ADDRESS_HEADER, REFUSED_METHOD_HEADER, CLIENT_CERTIFICATE_HEADER] as const;

const ROUTABLE = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type RawRequestDecision =
  | { kind: "pass" }
  /** Hand to Next as OPTIONS with REFUSED_METHOD_HEADER: the route answers 405 with its own Allow. */
  | { kind: "refused-method"; method: string }
  | { kind: "refuse"; status: 400 | 405; title: string; detail: string; allow?: string; api: boolean };

export function inspectRawRequest(method: string, rawUrl: string): RawRequestDecision {
  const pathname = rawUrl.split("?", 1)[0];
  const api = pathname === "/api" || pathname.startsWith("/api/");
  if (!ROUTABLE.has(method)) {
    if (api) return { kind: "refused-method", method };
    return {
      kind: "refuse",
      status: 405,
      title: "Method Not Allowed",
      detail: `${method} is not supported; the console's pages answer GET, HEAD and POST.`,
      allow: "GET, HEAD, POST",
      api,
    };
  }
  if (hasDotSegment(pathname)) {
    return { kind: "refuse", status: 400, title: "Bad Request", detail: "The path holds a . or .. segment; send the resource's path as the API names it.", api };
  }
  try {
    decodeURIComponent(pathname);
  } catch {
    return {
      kind: "refuse",
      status: 400,
      title: "Bad Request",
      detail: "The path holds a malformed percent-escape (such as %zz or an encoded lone surrogate); escape ids with encodeURIComponent.",
      api,
    };
  }
  return { kind: "pass" };
}

function hasDotSegment(pathname: string): boolean {
  return pathname.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
