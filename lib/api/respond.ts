// Plumbing shared by every /api/v1 route handler: JSON and RFC 9457 problem responses,
// bounded body reading, and one wrapper that turns expected errors into problems and
// masks unexpected ones (logged without request bodies, which may hold private keys).
import { authorize, credentialsOf } from "../auth/authenticate";
import type { Caller } from "../auth/caller";
import type { Permission } from "../auth/roles";
import { AppError, toProblem } from "../errors";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from "../http/json-depth";
import { mediaTypeOf } from "../http/media-type";
import { getRuntime, type Runtime } from "../services/runtime";

export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function problemResponse(error: unknown): Response {
  const problem = toProblem(error);
  if (problem.status === 500) console.error("[certgate] unexpected error in API handler:", (error as Error)?.stack ?? error);
  const extraHeaders = error instanceof AppError ? error.extras.headers : undefined;
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...extraHeaders, "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store" },
  });
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a handler: the caller is authenticated and checked for `needs` before the handler runs
 * (401/403 otherwise), and anything that goes wrong becomes a problem.
 */
export function apiRoute<P = Record<string, never>>(
  needs: Permission,
  handler: (request: Request, rt: Runtime, params: P, caller: Caller) => Promise<Response>,
): (request: Request, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    try {
      const rt = await getRuntime();
      const caller = await authorize(rt, credentialsOf(request.headers), needs);
      return await handler(request, rt, await context.params, caller);
    } catch (error) {
      return problemResponse(error);
    }
  };
}

/** For the one route a caller reaches before signing in (POST /api/v1/session). */
export function anonymousApiRoute(handler: (request: Request, rt: Runtime) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await handler(request, await getRuntime());
    } catch (error) {
      return problemResponse(error);
    }
  };
}

/** Reads the body, refusing more than `limit` bytes without buffering them all. */
export async function readBody(request: Request, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): AppError {
  const mib = limit / (1024 * 1024);
  // The default limit is the certificates'; a route that takes more (CRLs) says its own limit.
  const hint = limit === MAX_REQUEST_BYTES ? "certificates are at most 1 MiB, so upload a smaller file" : "upload a smaller file";
  return new AppError(413, `The request is larger than ${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB; ${hint}.`);
}

export async function readJson(request: Request, limit = MAX_REQUEST_BYTES): Promise<unknown> {
  if (mediaTypeOf(request.headers.get("content-type")) !== "application/json") {
    throw new AppError(415, "Send the request body as JSON with Content-Type: application/json.");
  }
  const body = await readBody(request, limit);
  if (jsonNestsDeeperThan(body)) {
    throw new AppError(400, `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels; no request of this API needs that, so send the fields it documents.`);
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AppError(400, "The request body is not valid JSON; check for a missing quote, comma or brace.");
  }
}

/** A JSON body the caller may leave out: no body at all reads as `{}`. */
export async function readOptionalJson(request: Request, limit = MAX_REQUEST_BYTES): Promise<unknown> {
  if (request.headers.get("content-type") !== null) return readJson(request, limit);
  if ((await readBody(request, limit)).length === 0) return {};
  throw new AppError(415, "Send the request body as JSON with Content-Type: application/json.");
}

/** A multipart/form-data body (bounded like every body); `fields` names what the route expects. */
export async function readMultipart(request: Request, contentType: string, fields: string, limit = MAX_REQUEST_BYTES): Promise<FormData> {
  const body = await readBody(request, limit);
  try {
    return await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError(400, `The multipart body could not be read; send the fields ${fields}.`);
  }
}

export function pageQuery(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}
