import { apiMethods } from "@/lib/api/methods";
import { signInRoute, signOutRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ POST: signInRoute, DELETE: signOutRoute });
