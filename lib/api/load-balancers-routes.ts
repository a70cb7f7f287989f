import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { createListener } from "../services/listeners";
import { createLoadBalancer, deleteLoadBalancer, getLoadBalancer, listLoadBalancers } from "../services/load-balancers";
import { API_ACTOR, apiRoute, json, pageQuery, readJson } from "./respond";

export const listLoadBalancersRoute = apiRoute(async (request, rt) =>
  json(await listLoadBalancers(rt, parseInput(pageQuerySchema, pageQuery(request)))),
);

export const createLoadBalancerRoute = apiRoute(async (request, rt) => {
  const view = await createLoadBalancer(rt, await readJson(request), API_ACTOR);
  return json(view, { status: 201, headers: { location: `/api/v1/load-balancers/${view.id}` } });
});

export const getLoadBalancerRoute = apiRoute<{ id: string }>(async (_request, rt, { id }) => json(await getLoadBalancer(rt, id)));

export const deleteLoadBalancerRoute = apiRoute<{ id: string }>(async (_request, rt, { id }) => {
  await deleteLoadBalancer(rt, id, API_ACTOR);
  return new Response(null, { status: 204 });
});

export const createListenerRoute = apiRoute<{ id: string }>(async (request, rt, { id }) => {
  const view = await createListener(rt, id, await readJson(request), API_ACTOR);
  return json(view, { status: 201, headers: { location: `/api/v1/listeners/${view.id}`, etag: `"${view.version}"` } });
});
