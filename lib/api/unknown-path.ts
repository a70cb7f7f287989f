import { AppError } from "../errors";
import { apiRoute } from "./respond";

/** Every method on a path under /api/v1 that names no resource; like every route, only for a signed-in caller. */
export const unknownApiPathRoute = apiRoute("signed-in", async (request) => {
  const path = new URL(request.url).pathname;
  throw new AppError(404, `There is no API resource at ${path}; the routes are listed in /api/v1/openapi.json.`);
});
