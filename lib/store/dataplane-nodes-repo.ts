// The data-plane node registry: one row per data-plane process (the console's embedded child or
// `npm run dataplane`), written by the node itself — when it starts, after every reload, on a
// heartbeat, and when it stops cleanly — and read by every console (the Data plane page, each
// listener's "serving on N of M nodes", and a save waiting until every live node applied it).
import "server-only";
import type { EndpointStatus } from "../dataplane";
import type { MemberHealth } from "../dataplane/types";
import type { Db } from "./database";
import type { DataplaneNodesTable } from "./schema";

/** How often a live node refreshes its row (even when nothing changed). */
export const NODE_HEARTBEAT_MS = 1_000;
/** A node whose row is older than this, and that did not say it stopped, is "gone" (killed, or cut off from the store). */
export const NODE_GONE_AFTER_MS = 5_000;
/** Stopped or gone nodes are forgotten this long after they were last seen. */
export const NODE_FORGET_AFTER_MS = 7 * 24 * 60 * 60 * 1_000;

export type NodeState = "up" | "gone" | "stopped";

export interface StoreOutage {
  from: string;
  to: string;
}

export interface DataplaneNodeRecord {
  id: string;
  hostname: string;
  address: string;
  version: string;
  pid: number;
  workers: number;
  metricsUrl: string | null;
  startedAt: string;
  lastSeenAt: string;
  stoppedAt: string | null;
  appliedRevision: number;
  listeners: Record<string, EndpointStatus>;
  pools: Record<string, Record<string, MemberHealth>>;
  lastStoreOutage: StoreOutage | null;
}

/** What a node writes about itself. */
export type NodeReport = Omit<DataplaneNodeRecord, "stoppedAt"> & { stopped: boolean };

export function nodeState(node: Pick<DataplaneNodeRecord, "stoppedAt" | "lastSeenAt">, now = Date.now()): NodeState {
  if (node.stoppedAt) return "stopped";
  return now - Date.parse(node.lastSeenAt) > NODE_GONE_AFTER_MS ? "gone" : "up";
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRecord(row: DataplaneNodesTable): DataplaneNodeRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    address: row.address,
    version: row.version,
    pid: Number(row.pid),
    workers: Number(row.workers),
    metricsUrl: row.metrics_url,
    startedAt: row.started_at,
    lastSeenAt: row.last_seen_at,
    stoppedAt: row.stopped_at,
    appliedRevision: Number(row.applied_revision),
    listeners: parseJson(row.listeners_json, {}),
    pools: parseJson(row.pools_json, {}),
    lastStoreOutage: parseJson(row.store_outage_json, null),
  };
}

/** Inserts or replaces the node's row (a restarted node with the same id takes its row back). */
export async function writeNodeReport(db: Db, report: NodeReport): Promise<void> {
  const row: DataplaneNodesTable = {
    id: report.id,
    hostname: report.hostname,
    address: report.address,
    version: report.version,
    pid: report.pid,
    workers: report.workers,
    metrics_url: report.metricsUrl,
    started_at: report.startedAt,
    last_seen_at: report.lastSeenAt,
    stopped_at: report.stopped ? report.lastSeenAt : null,
    applied_revision: report.appliedRevision,
    listeners_json: JSON.stringify(report.listeners),
    pools_json: JSON.stringify(report.pools),
    store_outage_json: report.lastStoreOutage ? JSON.stringify(report.lastStoreOutage) : null,
  };
  const { id: _id, ...update } = row;
  await db
    .insertInto("dataplane_nodes")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet(update))
    .execute();
}

/** The heartbeat when nothing else changed: one small UPDATE. False when the row is missing (forgotten): write it whole. */
export async function touchNode(db: Db, id: string, lastSeenAt: string): Promise<boolean> {
  const result = await db.updateTable("dataplane_nodes").set({ last_seen_at: lastSeenAt }).where("id", "=", id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listNodes(db: Db): Promise<DataplaneNodeRecord[]> {
  const rows = await db.selectFrom("dataplane_nodes").selectAll().orderBy("id").execute();
  return rows.map(toRecord);
}

export async function findNode(db: Db, id: string): Promise<DataplaneNodeRecord | null> {
  const row = await db.selectFrom("dataplane_nodes").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export interface NodeProgress {
  id: string;
  hostname: string;
  appliedRevision: number;
  lastSeenAt: string;
  stoppedAt: string | null;
}

/** Just enough to tell which live nodes have applied a revision: what a save polls while it waits. */
export async function listNodeProgress(db: Db): Promise<NodeProgress[]> {
  const rows = await db
    .selectFrom("dataplane_nodes")
    .select(["id", "hostname", "applied_revision", "last_seen_at", "stopped_at"])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    hostname: row.hostname,
    appliedRevision: Number(row.applied_revision),
    lastSeenAt: row.last_seen_at,
    stoppedAt: row.stopped_at,
  }));
}

export async function deleteNode(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("dataplane_nodes").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Drops nodes not seen for NODE_FORGET_AFTER_MS (stopped or gone long ago). */
export async function forgetOldNodes(db: Db, now = Date.now()): Promise<void> {
  const before = new Date(now - NODE_FORGET_AFTER_MS).toISOString();
  await db.deleteFrom("dataplane_nodes").where("last_seen_at", "<", before).execute();
}
