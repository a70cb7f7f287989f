import { NextResponse, type NextRequest } from "next/server";
import { crossOriginRefusal } from "@/lib/api/origin-guard";

// Every mutating request — REST calls and server actions alike — passes this check.
export function proxy(request: NextRequest) {
  const refusal = crossOriginRefusal({
    method: request.method,
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host"),
    origin: request.headers.get("origin"),
    secFetchSite: request.headers.get("sec-fetch-site"),
  });
  if (!refusal) return NextResponse.next();
  return new NextResponse(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail: refusal, errors: [] }), {
    status: 403,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
  });
}
