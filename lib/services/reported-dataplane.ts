// The console's view of the data-plane nodes (lib/store/dataplane-nodes-repo.ts): every data-plane
// process — the console's embedded child, or any number of `npm run dataplane` nodes on a shared
// PostgreSQL — registers there and reports what it serves. This view serves nothing itself: it
// summarizes each listener over the live nodes ("serving on 2 of 2 nodes", an error named with its
// node, nodes that have not applied the newest change), and makes a save wait until every live node
// has applied it, so the API answers when the change is in force everywhere (or, after a bounded
// wait, with the nodes that lag named in each listener's `endpoint.nodes.pending`).
import type { Dataplane } from "../dataplane";
import type { EndpointNodesSummary, MemberHealth } from "../dataplane/types";
import type { Db } from "../store/database";
import { listNodeProgress, listNodes, nodeState, type DataplaneNodeRecord } from "../store/dataplane-nodes-repo";
import { readConfigRevision } from "../store/dataplane-state-repo";

/** How long a save waits for every live node to apply it (nodes apply within milliseconds of the commit). */
export const APPLY_WAIT_MS = 3_000;
/** How often a waiting save looks at the nodes' progress. */
const WAIT_POLL_MS = 5;
/** How often the view refreshes in the background (status() is synchronous: views call it per listener). */
const REFRESH_MS = 1_000;

const HEALTH_RANK: Record<MemberHealth, number> = { healthy: 0, unknown: 1, unhealthy: 2 };

export interface ReportedDataplaneOptions {
  /** Called when a save starts waiting: the embedded child is told to reload now instead of at its next poll. */
  nudge?: () => void;
  log?: (line: string) => void;
}

export interface ReportedDataplane extends Dataplane {
  /** Wakes a waiting save now (e.g. the embedded child said it applied a revision). */
  wake(): void;
}

export function createReportedDataplane(db: Db, options: ReportedDataplaneOptions = {}): ReportedDataplane {
  const log = options.log ?? (() => {});
  let nodes: DataplaneNodeRecord[] = [];
  let revision = 0;
  let closed = false;
  let failing = false;
  const refresh = async () => {
    try {
      [nodes, revision] = await Promise.all([listNodes(db), readConfigRevision(db)]);
      if (failing) log("can read the data-plane nodes again");
      failing = false;
    } catch (error) {
      // Once per outage: the store being away is one event, not one per second.
      if (!failing) log(`cannot read the data-plane nodes, showing the last known states until the store is back: ${(error as Error).message}`);
      failing = true;
    }
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  timer.unref();
  const ready = refresh();

  // Saves waiting for the nodes (several may wait at once).
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });

  const liveNodes = () => {
    const now = Date.now();
    return nodes.filter((node) => nodeState(node, now) === "up");
  };

  return {
    readsStore: true,
    async apply() {
      await ready;
      const saved = await readConfigRevision(db);
      options.nudge?.();
      const deadline = Date.now() + APPLY_WAIT_MS;
      for (;;) {
        const now = Date.now();
        const live = (await listNodeProgress(db)).filter((node) => nodeState(node, now) === "up");
        // Every live node has it, or nobody serves (then there is nobody to wait for), or too slow:
        // answer; the listener's endpoint.nodes.pending names the nodes still behind.
        if (live.every((node) => node.appliedRevision >= saved) || Date.now() > deadline) break;
        await sleep(WAIT_POLL_MS);
      }
      await refresh();
    },
    status(listenerId) {
      const live = liveNodes();
      const summary: EndpointNodesSummary = { live: live.length, serving: 0, errors: [], pending: [] };
      // The URL shown (and tried by "Test this listener"): a node's where the listener serves, if any.
      let url = "";
      let servingUrl = "";
      for (const node of live) {
        if (node.appliedRevision < revision) summary.pending.push({ nodeId: node.id, hostname: node.hostname, appliedRevision: node.appliedRevision });
        const endpoint = node.listeners[listenerId];
        if (!endpoint) continue;
        url ||= endpoint.url;
        if (endpoint.state === "serving") {
          summary.serving++;
          servingUrl ||= endpoint.url;
        } else if (endpoint.state === "error") summary.errors.push({ nodeId: node.id, hostname: node.hostname, error: endpoint.error ?? "error" });
      }
      if (summary.errors.length > 0) {
        const [first] = summary.errors;
        const more = summary.errors.length > 1 ? ` (and on ${summary.errors.length - 1} more node${summary.errors.length > 2 ? "s" : ""})` : "";
        return { state: "error", error: `On node ${first.nodeId}: ${first.error}${more}`, url: servingUrl || url, nodes: summary };
      }
      return { state: summary.serving > 0 ? "serving" : "stopped", error: null, url: servingUrl || url, nodes: summary };
    },
    poolHealth(poolId) {
      // The worst any live node sees: a backend one node cannot reach is worth showing.
      const merged: Record<string, MemberHealth> = {};
      for (const node of liveNodes()) {
        for (const [member, health] of Object.entries(node.pools[poolId] ?? {})) {
          if (!(member in merged) || HEALTH_RANK[health] > HEALTH_RANK[merged[member]]) merged[member] = health;
        }
      }
      return merged;
    },
    running() {
      return liveNodes().length > 0;
    },
    wake() {
      for (const done of [...wakers]) done();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
    },
  };
}
