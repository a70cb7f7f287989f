export { createListenerRoute as POST } from "@/lib/api/load-balancers-routes";
