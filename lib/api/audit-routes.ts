import { z } from "zod";
import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { listAuditEvents } from "../store/audit-repo";
import { apiRoute, json, pageQuery } from "./respond";

const auditFilterSchema = z.object({
  targetType: z.enum(["certificate", "load_balancer", "listener"]).optional(),
  targetId: z.string().min(1).optional(),
});

export const listAuditEventsRoute = apiRoute(async (request, rt) => {
  const query = pageQuery(request);
  const page = parseInput(pageQuerySchema, query);
  const filter = parseInput(auditFilterSchema, { targetType: query.targetType, targetId: query.targetId });
  const result = await listAuditEvents(rt.store.db, filter, page);
  // The numeric id only orders events; it is not part of the contract.
  return json({ items: result.items.map(({ id: _id, ...event }) => event), nextCursor: result.nextCursor });
});
