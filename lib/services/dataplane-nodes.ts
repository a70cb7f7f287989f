// The data-plane nodes as the API and the Data plane page show them (docs/api.md "Data-plane nodes").
import { conflict, notFound } from "../errors";
import type { Actor } from "../store/audit-repo";
import { deleteNode, findNode, listNodes, nodeState, NODE_GONE_AFTER_MS, type DataplaneNodeRecord } from "../store/dataplane-nodes-repo";
import { readConfigRevision } from "../store/dataplane-state-repo";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";
import type { DataplaneNodeView, DataplaneNodesView } from "./views";

function toNodeView(node: DataplaneNodeRecord, now: number): DataplaneNodeView {
  return {
    id: node.id,
    hostname: node.hostname,
    address: node.address,
    version: node.version,
    pid: node.pid,
    workers: node.workers,
    metricsUrl: node.metricsUrl,
    startedAt: node.startedAt,
    lastSeenAt: node.lastSeenAt,
    appliedRevision: node.appliedRevision,
    state: nodeState(node, now),
    listeners: Object.fromEntries(Object.entries(node.listeners).map(([id, status]) => [id, { state: status.state, error: status.error }])),
    lastStoreOutage: node.lastStoreOutage,
  };
}

export async function listDataplaneNodes(rt: Runtime): Promise<DataplaneNodesView> {
  const [nodes, revision] = await Promise.all([listNodes(rt.store.db), readConfigRevision(rt.store.db)]);
  const now = Date.now();
  return { configRevision: revision, goneAfterSeconds: NODE_GONE_AFTER_MS / 1000, items: nodes.map((node) => toNodeView(node, now)) };
}

/** Removes a stopped or gone node's record (a node that is up would write it back at once: refused). */
export async function forgetDataplaneNode(rt: Runtime, id: string, actor: Actor): Promise<void> {
  await commitChange(rt, { actor }, async ({ trx, audit }) => {
    const node = await findNode(trx, id);
    if (!node) throw notFound(`Data-plane node ${id}`);
    if (nodeState(node) === "up") {
      throw conflict(`Node ${id} is up; stop it first (Ctrl-C or SIGTERM), or wait until it has been gone for ${NODE_GONE_AFTER_MS / 1000} s.`);
    }
    await deleteNode(trx, id);
    await audit({ action: "dataplane_node.forgotten", target: { type: "dataplane_node", id, name: node.hostname }, details: { address: node.address, lastSeenAt: node.lastSeenAt } });
  });
}
