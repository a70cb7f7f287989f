import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { createListener } from "../services/listeners";
import { createLoadBalancer, deleteLoadBalancer, getLoadBalancer, listLoadBalancers } from "../services/load-balancers";
import { apiRoute, json, pageQuery, readJson } from "./respond";

export const listLoadBalancersRoute = apiRoute("read", async (request, rt) =>
  json(await listLoadBalancers(rt, parseInput(pageQuerySchema, pageQuery(request)))),
);

export const createLoadBalancerRoute = apiRoute("operate", async (request, rt, _params, caller) => {
  const view = await createLoadBalancer(rt, await readJson(request), caller.actor);
  return json(view, { status: 201, headers: { location: `/api/v1/load-balancers/${view.id}` } });
});

export const getLoadBalancerRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => json(await getLoadBalancer(rt, id)));

export const deleteLoadBalancerRoute = apiRoute<{ id: string }>("operate", async (_request, rt, { id }, caller) => {
  await deleteLoadBalancer(rt, id, caller.actor);
  return new Response(null, { status: 204 });
});

export const createListenerRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const view = await createListener(rt, id, await readJson(request), caller.actor);
  return json(view, { status: 201, headers: { location: `/api/v1/listeners/${view.id}`, etag: `"${view.version}"` } });
});
