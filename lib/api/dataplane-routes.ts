import { forgetDataplaneNode, listDataplaneNodes } from "../services/dataplane-nodes";
import { toDataplaneView } from "../services/views";
import { apiRoute, json } from "./respond";

/** GET /api/v1/dataplane: whether a data plane is running (the console's "no data plane" banner). */
export const getDataplaneRoute = apiRoute("read", async (_request, rt) => json(toDataplaneView(rt.dataplane, rt.settings.embeddedDataplane !== false)));

/** GET /api/v1/dataplane-nodes: every registered data-plane node and what it serves. */
export const listDataplaneNodesRoute = apiRoute("read", async (_request, rt) => json(await listDataplaneNodes(rt)));

/** DELETE /api/v1/dataplane-nodes/{id}: forgets a stopped or gone node. */
export const forgetDataplaneNodeRoute = apiRoute<{ id: string }>("operate", async (_request, rt, { id }, caller) => {
  await forgetDataplaneNode(rt, id, caller.actor);
  return new Response(null, { status: 204 });
});
