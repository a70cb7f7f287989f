import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { listAuditEvents } from "../services/audit";
import { revertAuditEvent } from "../services/listener-revert";
import { ifMatchVersion } from "./listeners-routes";
import { apiRoute, json, pageQuery, readOptionalJson } from "./respond";

export const listAuditEventsRoute = apiRoute("read", async (request, rt) => {
  const query = pageQuery(request);
  const page = parseInput(pageQuerySchema, query);
  return json(await listAuditEvents(rt, { targetType: query.targetType, targetId: query.targetId }, page));
});

/** Reverting changes a listener, so it takes what editing one takes. */
export const revertAuditEventRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const result = await revertAuditEvent(rt, id, await readOptionalJson(request), ifMatchVersion(request), caller.actor);
  return json({ ...result.listener, revert: { outcome: result.outcome, detail: result.detail } }, { headers: { etag: `"${result.listener.version}"` } });
});
