import { apiMethods } from "@/lib/api/methods";
import { createListenerRoute } from "@/lib/api/load-balancers-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ POST: createListenerRoute });
