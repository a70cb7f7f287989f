import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { listAuditEvents } from "../services/audit";
import { apiRoute, json, pageQuery } from "./respond";

export const listAuditEventsRoute = apiRoute("read", async (request, rt) => {
  const query = pageQuery(request);
  const page = parseInput(pageQuerySchema, query);
  return json(await listAuditEvents(rt, { targetType: query.targetType, targetId: query.targetId }, page));
});
