export { getLoadBalancerRoute as GET, deleteLoadBalancerRoute as DELETE } from "@/lib/api/load-balancers-routes";
