import { apiMethods } from "@/lib/api/methods";
import { forgetDataplaneNodeRoute } from "@/lib/api/dataplane-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ DELETE: forgetDataplaneNodeRoute });
