import { AppError } from "../errors";
import { problemResponse } from "./respond";

/** Every method on a path under /api/v1 that names no resource. */
export async function unknownApiPathRoute(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  return problemResponse(new AppError(404, `There is no API resource at ${path}; the routes are listed in /api/v1/openapi.json.`));
}
