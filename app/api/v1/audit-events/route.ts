export { listAuditEventsRoute as GET } from "@/lib/api/audit-routes";
