import { AppError } from "../errors";
import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { listListenerConnections } from "../services/connections";
import { previewListenerImpact, summarizeListenerConnections } from "../services/impact-preview";
import { deleteListener, getListener, updateListener } from "../services/listeners";
import { apiRoute, json, pageQuery, readJson } from "./respond";

export const getListenerRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => {
  const view = await getListener(rt, id);
  return json(view, { headers: { etag: `"${view.version}"` } });
});

export const patchListenerRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const view = await updateListener(rt, id, await readJson(request), ifMatchVersion(request), caller.actor);
  return json(view, { headers: { etag: `"${view.version}"` } });
});

export const deleteListenerRoute = apiRoute<{ id: string }>("operate", async (_request, rt, { id }, caller) => {
  await deleteListener(rt, id, caller.actor);
  return new Response(null, { status: 204 });
});

export const listConnectionsRoute = apiRoute<{ id: string }>("read", async (request, rt, { id }) => {
  return json(await listListenerConnections(rt, id, parseInput(pageQuerySchema, pageQuery(request))));
});

/** What a PATCH with this body would do to the clients seen lately; saves nothing (docs/api.md "Impact preview"). */
export const previewImpactRoute = apiRoute<{ id: string }>("read", async (request, rt, { id }) => {
  return json(await previewListenerImpact(rt, id, await readJson(request), pageQuery(request)));
});

export const connectionSummaryRoute = apiRoute<{ id: string }>("read", async (request, rt, { id }) => {
  return json(await summarizeListenerConnections(rt, id, pageQuery(request)));
});

/** `If-Match: "3"` (or W/"3", or *) → the version the client last saw. */
export function ifMatchVersion(request: Request): number | null {
  const header = request.headers.get("if-match");
  if (!header || header.trim() === "*") return null;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new AppError(400, 'If-Match must be the ETag this API returned, such as "3".');
  return Number(match[1]);
}
