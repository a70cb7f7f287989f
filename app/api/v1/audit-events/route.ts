import { apiMethods } from "@/lib/api/methods";
import { listAuditEventsRoute } from "@/lib/api/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listAuditEventsRoute });
