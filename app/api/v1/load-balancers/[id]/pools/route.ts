import { apiMethods } from "@/lib/api/methods";
import { createPoolRoute, listPoolsRoute } from "@/lib/api/pools-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listPoolsRoute, POST: createPoolRoute });
