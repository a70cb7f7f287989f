import { apiMethods } from "@/lib/api/methods";
import { revertAuditEventRoute } from "@/lib/api/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ POST: revertAuditEventRoute });
