export { listConnectionsRoute as GET } from "@/lib/api/listeners-routes";
