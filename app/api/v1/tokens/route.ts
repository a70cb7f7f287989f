import { apiMethods } from "@/lib/api/methods";
import { listTokensRoute, createTokenRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listTokensRoute, POST: createTokenRoute });
