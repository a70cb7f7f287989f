import { apiMethods } from "@/lib/api/methods";
import { getListenerRoute, patchListenerRoute, deleteListenerRoute } from "@/lib/api/listeners-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getListenerRoute, PATCH: patchListenerRoute, DELETE: deleteListenerRoute });
