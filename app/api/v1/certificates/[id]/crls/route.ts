import { apiMethods } from "@/lib/api/methods";
import { listCrlsRoute, uploadCrlRoute } from "@/lib/api/crls-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listCrlsRoute, POST: uploadCrlRoute });
