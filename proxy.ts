import { NextResponse, type NextRequest } from "next/server";
import { crossOriginRefusal } from "@/lib/api/origin-guard";
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
  return NextResponse.next();
}

function problem(status: number, title: string, detail: string): NextResponse {
  return new NextResponse(JSON.stringify({ type: "about:blank", title, status, detail, errors: [] }), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store" },
  });
}
