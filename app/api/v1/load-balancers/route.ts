export { listLoadBalancersRoute as GET, createLoadBalancerRoute as POST } from "@/lib/api/load-balancers-routes";
