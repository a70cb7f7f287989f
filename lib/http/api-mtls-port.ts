// What the API's client-certificate port (CERTGATE_API_MTLS_PORT, server/console.ts) decides on its
// own, before the request reaches Next and lib/auth: which paths it serves, and the header that
// carries the presented certificate to lib/auth. Who that certificate belongs to is decided there,
// on every request, from the store's bindings.
import { createHash } from "node:crypto";
import { CLIENT_CERTIFICATE_HEADER } from "./console-request-guard";

export { CLIENT_CERTIFICATE_HEADER };

/** The value of CLIENT_CERTIFICATE_HEADER: `sha256=<hex of the DER>`, or `none` when the client sent no certificate. */
export function clientCertificateHeaderValue(der: Buffer | null | undefined): string {
  return der && der.length > 0 ? `sha256=${createHash("sha256").update(der).digest("hex")}` : "none";
}

/**
 * Only the JSON API is served on that port: pages, /_next assets and server actions belong to the
 * web console, which never signs in by certificate. Checked on the raw request target, before Next
 * normalizes anything; an absolute-form target (`GET https://host/…`) is not served either, nor a
 * request that names a server action (`Next-Action`), whatever its path.
 */
export function isServedOnApiMtlsPort(rawUrl: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (headers["next-action"] !== undefined) return false;
  const pathname = rawUrl.split("?", 1)[0];
  return pathname === "/api/v1" || pathname.startsWith("/api/v1/");
}

/** The 404 problem for everything else, pointing at the console's own URL. */
export function notServedOnApiMtlsPort(consoleUrl: string) {
  return {
    type: "about:blank",
    title: "Not Found",
    status: 404 as const,
    detail: `The web console is not served on this port, which serves only the API under /api/v1/ to clients that authenticate with a certificate; open the console at ${consoleUrl}.`,
    errors: [],
  };
}
