import { apiMethods } from "@/lib/api/methods";
import { listLoadBalancersRoute, createLoadBalancerRoute } from "@/lib/api/load-balancers-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listLoadBalancersRoute, POST: createLoadBalancerRoute });
