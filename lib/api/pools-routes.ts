import { createPool, deletePool, getPool, listPools, updatePool } from "../services/pools";
import { ifMatchVersion } from "./listeners-routes";
import { apiRoute, json, readJson } from "./respond";

export const listPoolsRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => json(await listPools(rt, id)));

export const createPoolRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const view = await createPool(rt, id, await readJson(request), caller.actor);
  return json(view, { status: 201, headers: { location: `/api/v1/pools/${view.id}`, etag: `"${view.version}"` } });
});

export const getPoolRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => {
  const view = await getPool(rt, id);
  return json(view, { headers: { etag: `"${view.version}"` } });
});

export const patchPoolRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const view = await updatePool(rt, id, await readJson(request), ifMatchVersion(request), caller.actor);
  return json(view, { headers: { etag: `"${view.version}"` } });
});

export const deletePoolRoute = apiRoute<{ id: string }>("operate", async (_request, rt, { id }, caller) => {
  await deletePool(rt, id, caller.actor);
  return new Response(null, { status: 204 });
});
