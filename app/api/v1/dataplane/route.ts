export { getDataplaneRoute as GET } from "@/lib/api/dataplane-routes";
