import { apiMethods } from "@/lib/api/methods";
import { getDataplaneRoute } from "@/lib/api/dataplane-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getDataplaneRoute });
