import { apiMethods } from "@/lib/api/methods";
import { meRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: meRoute });
