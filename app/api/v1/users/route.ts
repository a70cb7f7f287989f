import { apiMethods } from "@/lib/api/methods";
import { listUsersRoute, createUserRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listUsersRoute, POST: createUserRoute });
