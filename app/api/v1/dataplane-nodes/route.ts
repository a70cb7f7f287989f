import { apiMethods } from "@/lib/api/methods";
import { listDataplaneNodesRoute } from "@/lib/api/dataplane-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listDataplaneNodesRoute });
