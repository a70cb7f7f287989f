import { apiMethods } from "@/lib/api/methods";
import { deletePoolRoute, getPoolRoute, patchPoolRoute } from "@/lib/api/pools-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getPoolRoute, PATCH: patchPoolRoute, DELETE: deletePoolRoute });
