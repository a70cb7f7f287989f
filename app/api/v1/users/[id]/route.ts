import { apiMethods } from "@/lib/api/methods";
import { getUserRoute, patchUserRoute, deleteUserRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getUserRoute, PATCH: patchUserRoute, DELETE: deleteUserRoute });
