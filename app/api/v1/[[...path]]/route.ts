import { apiMethods } from "@/lib/api/methods";
import { unknownApiPathRoute } from "@/lib/api/unknown-path";

// Any /api/v1 path no other route serves: a 404 problem, not the console's HTML page.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({
  GET: unknownApiPathRoute,
  POST: unknownApiPathRoute,
  PUT: unknownApiPathRoute,
  PATCH: unknownApiPathRoute,
  DELETE: unknownApiPathRoute,
});
