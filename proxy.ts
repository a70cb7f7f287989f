import { NextResponse, type NextRequest } from "next/server";
import { crossOriginRefusal } from "@/lib/api/origin-guard";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { PEER_ADDRESS_HEADER } from "@/lib/http/console-request-guard";
import { addressedHost, hostPolicyFromEnv, hostRefusal } from "@/lib/http/host-allowlist";

const policy = hostPolicyFromEnv();

// Every request — pages, REST calls and server actions — passes the Host allowlist (DNS
// rebinding); every mutating one also the same-origin check, against the allowed Host.
export function proxy(request: NextRequest) {
  const host = addressedHost(
    {
      host: request.headers.get("host"),
      forwardedHost: request.headers.get("x-forwarded-host"),
      peerAddress: request.headers.get(PEER_ADDRESS_HEADER),
    },
    policy,
  );
  const misdirected = hostRefusal(host, policy);
  if (misdirected) return problem(421, "Misdirected Request", misdirected);
  const refusal = crossOriginRefusal({
    method: request.method,
    host,
    origin: request.headers.get("origin"),
    secFetchSite: request.headers.get("sec-fetch-site"),
  });
  if (refusal) return problem(403, "Forbidden", refusal);
  if (needsSignIn(request)) {
    // Without a session cookie a page can only be the sign-in page; the page itself still checks a
    // cookie it does get (lib/auth/page-caller.ts), and the API answers 401 on its own.
    const target = new URL("/sign-in", request.url);
    const back = request.nextUrl.pathname + request.nextUrl.search;
    if (back !== "/") target.searchParams.set("next", back);
    return NextResponse.redirect(target, 303);
  }
  return NextResponse.next();
}

const OPEN_PATHS = ["/sign-in", "/icon.svg", "/favicon.ico"];

function needsSignIn(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/") || path.startsWith("/_next/") || OPEN_PATHS.includes(path)) return false;
  // Server actions post to the page's path; they answer 401 themselves (lib/actions/run-action.ts).
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  return !request.cookies.get(SESSION_COOKIE)?.value;
}

function problem(status: number, title: string, detail: string): NextResponse {
  return new NextResponse(JSON.stringify({ type: "about:blank", title, status, detail, errors: [] }), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store" },
  });
}
