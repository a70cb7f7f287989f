import { apiMethods } from "@/lib/api/methods";
import { getLoadBalancerRoute, deleteLoadBalancerRoute } from "@/lib/api/load-balancers-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getLoadBalancerRoute, DELETE: deleteLoadBalancerRoute });
