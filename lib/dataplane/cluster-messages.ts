// The messages between a data plane node's primary (lib/dataplane/cluster-dataplane.ts) and its
// workers (lib/dataplane/cluster-worker.ts), over the cluster IPC channel with
// `serialization: "advanced"` (configs carry Buffers: pins, CRLs, ticket keys).
import type { ConnectionRecord, EndpointStatus, ListenerRuntimeConfig, MemberHealth } from "./types";

/** primary -> worker: the listeners that changed since this worker's last apply, and the ones removed. */
export interface ApplyMessage {
  type: "apply";
  seq: number;
  changed: ListenerRuntimeConfig[];
  removed: string[];
}
export interface CloseMessage {
  type: "close";
}
export type PrimaryMessage = ApplyMessage | CloseMessage;

/** What a worker knows about itself; sent with each apply answer and every STATS_INTERVAL_MS. */
export interface WorkerStats {
  active: Record<string, number>;
  rss: number;
}

export type WorkerMessage =
  | { type: "ready" }
  | ({ type: "applied"; seq: number; endpoints: Record<string, EndpointStatus>; pools: Record<string, Record<string, MemberHealth>> } & WorkerStats)
  | { type: "connections"; batch: [string, ConnectionRecord][] }
  | { type: "health"; pools: Record<string, Record<string, MemberHealth>> }
  | ({ type: "stats" } & WorkerStats);

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === "apply" || type === "close";
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === "ready" || type === "applied" || type === "connections" || type === "health" || type === "stats";
}
