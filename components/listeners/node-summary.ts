// A listener's endpoint as people read it across the data-plane nodes (the API's `endpoint.nodes`,
// docs/api.md): one badge, the errors each named with its node, and which nodes have not applied
// the newest change yet. With one live node it reads as before ("Serving"), since "1 of 1" adds nothing.
import type { ListenerView } from "@/components/data/api";

type Endpoint = ListenerView["endpoint"];
type Pending = NonNullable<Endpoint["nodes"]>["pending"];

export interface EndpointSummary {
  label: string;
  tone: "green" | "amber" | "red" | "slate";
  /** One sentence per node the listener is in error on, each naming the node. */
  errors: string[];
  /** "Not yet in force on node X (applied revision N)", or null when every live node has the newest change. */
  pending: string | null;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function summarizeEndpoint(endpoint: Endpoint): EndpointSummary {
  const nodes = endpoint.nodes;
  const many = nodes !== undefined && nodes.live > 1;
  const pending = pendingNotice(nodes?.pending ?? []);
  if (endpoint.state === "error") {
    const errors = nodes?.errors.length ? nodes.errors.map((e) => `On node ${e.nodeId}: ${e.error}`) : [endpoint.error ?? "The data plane reported an error."];
    if (!many) return { label: "Error", tone: "red", errors, pending };
    const servingToo = nodes.serving > 0 ? `, serving on ${nodes.serving}` : "";
    return { label: `Error on ${nodes.errors.length} of ${plural(nodes.live, "node")}${servingToo}`, tone: "red", errors, pending };
  }
  if (endpoint.state === "serving") {
    if (!many) return { label: "Serving", tone: "green", errors: [], pending };
    // Fewer than every live node: one has not picked it up (pending), or cannot serve it.
    return { label: `Serving on ${nodes.serving} of ${plural(nodes.live, "node")}`, tone: nodes.serving < nodes.live ? "amber" : "green", errors: [], pending };
  }
  return { label: "Stopped", tone: "slate", errors: [], pending };
}

/** "Not yet in force on node b (applied revision 7)"; several nodes are listed one after another. */
export function pendingNotice(pending: Pending): string | null {
  if (pending.length === 0) return null;
  const each = pending.map((p) => `${p.nodeId} (applied revision ${p.appliedRevision})`);
  const list = each.length === 1 ? each[0] : `${each.slice(0, -1).join(", ")} and ${each.at(-1)}`;
  return `Not yet in force on ${pending.length === 1 ? "node" : "nodes"} ${list}`;
}

/**
 * The toast after a save ("Listener web saved"): a plain success only when every live node has the
 * change in force; otherwise it names the nodes still behind (the save waited for them and gave up).
 */
export function savedMessage(done: string, endpoint: Endpoint): { title: string; tone: "success" | "warning" } {
  const pending = pendingNotice(endpoint.nodes?.pending ?? []);
  if (!pending) return { title: done, tone: "success" };
  return { title: `${done}. ${pending}: it applies the change when it catches up.`, tone: "warning" };
}
