// Every /api/v1 route file exports a handler for every method Next can route, so a method the
// resource does not offer gets a 405 problem+json with `Allow` (Next's own 405 has no body and no
// Allow). Methods Next cannot route at all (TRACE, CONNECT, …) reach the route as OPTIONS marked by
// the console server (server/console.ts): the OPTIONS handler answers those with the same 405.
import { AppError } from "../errors";
import { REFUSED_METHOD_HEADER } from "../http/console-request-guard";
import { problemResponse } from "./respond";

export const ROUTABLE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type RoutableMethod = (typeof ROUTABLE_METHODS)[number];


type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
// Route handlers are typed by their own params; the table only needs to call them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (request: Request, context: any) => Promise<Response>;

const NOT_ALLOWED = Symbol.for("certgate.methodNotAllowed");

export type RouteMethods = Record<RoutableMethod, Handler> & { HEAD?: Handler };

/**
 * The exports of one route file: the given handlers, 405 for the other methods, OPTIONS answering
 * 204 with `Allow`, and HEAD left to Next (which derives it from GET).
 */
export function apiMethods(handlers: Partial<Record<Exclude<RoutableMethod, "OPTIONS">, AnyHandler>>): RouteMethods {
  const offered = Object.keys(handlers) as RoutableMethod[];
  const allow = [...offered, ...(offered.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed = (method: string) =>
    Object.assign(async () => methodNotAllowed(method, allow), { [NOT_ALLOWED]: true }) as Handler;
  const table = {} as RouteMethods;
  for (const method of ROUTABLE_METHODS) table[method] = (handlers[method as keyof typeof handlers] as Handler | undefined) ?? notAllowed(method);
  table.OPTIONS = async (request) => {
    const refused = request.headers.get(REFUSED_METHOD_HEADER);
    if (refused) return methodNotAllowed(refused, allow);
    return new Response(null, { status: 204, headers: { allow } });
  };
  if (!offered.includes("GET")) table.HEAD = notAllowed("HEAD");
  return table;
}

/** The methods a route file really implements (for the OpenAPI test). */
export function implementedMethods(routeModule: Record<string, unknown>): RoutableMethod[] {
  return ROUTABLE_METHODS.filter((method) => {
    const handler = routeModule[method] as (Handler & { [NOT_ALLOWED]?: boolean }) | undefined;
    return method !== "OPTIONS" && typeof handler === "function" && !handler[NOT_ALLOWED];
  });
}

function methodNotAllowed(method: string, allow: string): Response {
  const response = problemResponse(new AppError(405, `${method} is not supported here; this resource answers ${allow}.`));
  response.headers.set("allow", allow);
  return response;
}
