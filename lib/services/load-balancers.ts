import type { Actor } from "../store/audit-repo";
import crypto from "node:crypto";
import { conflict, notFound } from "../errors";
import { loadBalancerCreateSchema } from "../schemas/load-balancers";
import { parseInput } from "../schemas/parse";
import { isUniqueViolation } from "../store/database";
import { deleteListenerRow, listListenersOf } from "../store/listeners-repo";
import {
  deleteLoadBalancerRow,
  findLoadBalancer,
  findLoadBalancerByName,
  insertLoadBalancer,
  listLoadBalancers as listLoadBalancerRows,
} from "../store/load-balancers-repo";
import type { Page, PageRequest } from "../store/pagination";
import { commitChange } from "./commit-change";
import { deletePoolsOf } from "./pools";
import type { Runtime } from "./runtime";
import { toListenerView, toLoadBalancerSummary, type LoadBalancerSummaryView, type LoadBalancerView } from "./views";

export async function createLoadBalancer(rt: Runtime, input: unknown, actor: Actor): Promise<LoadBalancerView> {
  const { name } = parseInput(loadBalancerCreateSchema, input);
  const row = { id: crypto.randomUUID(), name, created_at: new Date().toISOString() };
  const taken = () => conflict(`A load balancer named "${name}" already exists; choose another name.`, "name");
  try {
    await commitChange(rt, { actor }, async ({ trx, audit }) => {
      if (await findLoadBalancerByName(trx, name)) throw taken();
      await insertLoadBalancer(trx, row);
      await audit({ action: "load_balancer.created", target: { type: "load_balancer", id: row.id, name } });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? taken() : error;
  }
  return { ...toLoadBalancerSummary(row, [], rt.dataplane.running()), listeners: [] };
}

export async function listLoadBalancers(rt: Runtime, page: PageRequest): Promise<Page<LoadBalancerSummaryView>> {
  const result = await listLoadBalancerRows(rt.store.db, page);
  const items = await Promise.all(
    result.items.map(async (row) => {
      const listeners = await listListenersOf(rt.store.db, row.id);
      return toLoadBalancerSummary(
        row,
        listeners.map((l) => rt.dataplane.status(l.id).state),
        rt.dataplane.running(),
      );
    }),
  );
  return { items, nextCursor: result.nextCursor };
}

export async function getLoadBalancer(rt: Runtime, id: string): Promise<LoadBalancerView> {
  const row = await findLoadBalancer(rt.store.db, id);
  if (!row) throw notFound("This load balancer");
  const listeners = (await listListenersOf(rt.store.db, id)).map((l) => toListenerView(l, rt.dataplane.status(l.id)));
  return {
    ...toLoadBalancerSummary(
      row,
      listeners.map((l) => l.endpoint.state),
      rt.dataplane.running(),
    ),
    listeners,
  };
}

export async function deleteLoadBalancer(rt: Runtime, id: string, actor: Actor): Promise<void> {
  // Its listeners go with it: the endpoints change.
  await commitChange(rt, { actor, affectsEndpoints: true }, async (change) => {
    const { trx, audit } = change;
    const row = await findLoadBalancer(trx, id);
    if (!row) throw notFound("This load balancer");
    const listeners = await listListenersOf(trx, id);
    // Its listeners go first (each with its own event), then its pools, which they may refer to.
    for (const listener of listeners) {
      await audit({
        action: "listener.deleted",
        target: { type: "listener", id: listener.id, name: listener.name },
        details: { port: listener.port, reason: "load balancer deleted" },
      });
      await deleteListenerRow(trx, listener.id);
    }
    await deletePoolsOf(change, id);
    await deleteLoadBalancerRow(trx, id);
    await audit({ action: "load_balancer.deleted", target: { type: "load_balancer", id, name: row.name } });
  });
}
