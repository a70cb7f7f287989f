// The Data plane page's wording, kept apart from the markup so it can be read (and tested) as text.
import type { DataplaneNodesView } from "@/components/data/api";
import { formatDateTime } from "@/components/ui/date-time";

export type NodeView = DataplaneNodesView["items"][number];

/** Whether the node enforces the newest configuration: "In sync", or "Behind: 41 of 42" (its revision of the newest). */
export function revisionStatus(appliedRevision: number, configRevision: number): { text: string; inSync: boolean } {
  if (appliedRevision >= configRevision) return { text: "In sync", inSync: true };
  return { text: `Behind: ${appliedRevision} of ${configRevision}`, inSync: false };
}

/** The node's listeners as it last reported them: how many serve, and which are in error and why. */
export function listenerCounts(node: NodeView): { serving: number; stopped: number; errors: { listenerId: string; error: string }[] } {
  let serving = 0;
  let stopped = 0;
  const errors: { listenerId: string; error: string }[] = [];
  for (const [listenerId, status] of Object.entries(node.listeners)) {
    if (status.state === "serving") serving++;
    else if (status.state === "error") errors.push({ listenerId, error: status.error ?? "error" });
    else stopped++;
  }
  return { serving, stopped, errors };
}

export const STATE_LABELS: Record<NodeView["state"], { label: string; tone: "green" | "red" | "slate" }> = {
  up: { label: "Up", tone: "green" },
  gone: { label: "Gone", tone: "red" },
  stopped: { label: "Stopped", tone: "slate" },
};

/** "Last lost the store from 2026-12-05 18:40:01 UTC to 18:40:09 UTC": the day once when both ends share it. */
export function storeOutageText(outage: { from: string; to: string }): string {
  const from = formatDateTime(outage.from, "seconds");
  const to = formatDateTime(outage.to, "seconds");
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return `Last lost the store from ${from} to ${sameDay ? to.slice(11) : to}`;
}
