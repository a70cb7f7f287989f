import { apiMethods } from "@/lib/api/methods";
import { listConnectionsRoute } from "@/lib/api/listeners-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listConnectionsRoute });
