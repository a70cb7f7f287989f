import { apiMethods } from "@/lib/api/methods";
import { revokeTokenRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ DELETE: revokeTokenRoute });
