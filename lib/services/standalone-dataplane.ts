// The data plane as a process of its own (`npm run dataplane`, or the console's embedded child): the
// same endpoints, fed from the same store, without Next. It registers itself as a node in the store
// (lib/store/dataplane-nodes-repo.ts) and keeps that row fresh: the config revision it enforces,
// each listener's state on it, its pools' health, a heartbeat. It follows saves by reading
// meta.config_revision — woken by PostgreSQL NOTIFY when there is one (then polling is only a slow
// backstop), polling every 50 ms on SQLite — and writes its connection log to the store.
import os from "node:os";
import packageJson from "../../package.json";
import type { Settings } from "../config";
import type { Dataplane, EndpointStatus } from "../dataplane";
import type { MemberHealth } from "../dataplane/types";
import { openStore, type Store } from "../store/database";
import { forgetOldNodes, NODE_HEARTBEAT_MS, touchNode, writeNodeReport, type NodeReport, type StoreOutage } from "../store/dataplane-nodes-repo";
import { CONFIG_CHANNEL, readConfigRevision, revisionOfNotification } from "../store/dataplane-state-repo";
import { listenForNotifications, type NotificationListener } from "../store/notifications";
import { createKeySealer } from "../store/sealed-keys";
import { createRecordedDataplane, type DataplaneFactory } from "./connection-recorder";
import { createRuntimeConfigLoader } from "./runtime-config-loader";

/** How often the revision is read without a notification: SQLite has none; on PostgreSQL it is the backstop. */
const POLL_MS = { sqlite: 50, postgres: 500 } as const;
/** A member's health change is reported this soon after it (changes within it go out together). */
const HEALTH_REPORT_DELAY_MS = 100;
/**
 * A full reload now and then, whatever the revision says: retries listeners in error (a port freed
 * since) and re-reads every row, should one have changed without what the incremental load compares.
 */
const RESYNC_MS = 30_000;

/** The node's id in the registry: CERTGATE_NODE_ID, or "<hostname>-<bind address>". */
export function nodeIdOf(settings: Pick<Settings, "nodeId" | "dataplaneHost">): string {
  if (settings.nodeId) return settings.nodeId;
  return `${os.hostname()}-${settings.dataplaneHost}`.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63);
}

export interface StandaloneDataplane {
  readonly dataplane: Dataplane;
  /** This node's id in the registry. */
  readonly nodeId: string;
  /** The config_revision in force. */
  readonly revision: number;
  /** Reads the revision now instead of at the next poll, and applies it if it moved (a console's nudge). */
  reloadNow(): Promise<void>;
  /** Stops polling, closes every endpoint and connection, writes the last log records and a "stopped" report. */
  close(): Promise<void>;
}

/** What the data plane reports after every reload and heartbeat (to the store, and to `onReport`). */
export interface DataplaneReportEvent {
  revision: number;
  endpoints: Record<string, EndpointStatus>;
  /** The health of the members of each pool a listener forwards to, by pool id, then memberKey. */
  pools: Record<string, Record<string, MemberHealth>>;
}

export async function startStandaloneDataplane(
  settings: Settings,
  log: (line: string) => void,
  onReport: (event: DataplaneReportEvent) => void = () => {},
  node: { workers?: number; metricsUrl?: string | null; factory?: DataplaneFactory } = {},
): Promise<StandaloneDataplane> {
  const store: Store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  const nodeId = nodeIdOf(settings);
  const startedAt = new Date().toISOString();
  const sealer = createKeySealer({ secret: settings.secret, dataDir: settings.dataDir });
  let stopping = false;
  let healthReport: NodeJS.Timeout | null = null;
  // Health changes come in bursts (a backend going down fails several listeners' checks): one report for them.
  const onPoolHealthChange = () => {
    if (healthReport || stopping) return;
    healthReport = setTimeout(() => {
      healthReport = null;
      if (!stopping) void serialized(true);
    }, HEALTH_REPORT_DELAY_MS);
    healthReport.unref();
  };
  const { dataplane } = createRecordedDataplane(store, log, { onPoolHealthChange }, node.factory);
  // One loader for the process's life: each reload re-reads (and unseals) only what changed.
  const loader = createRuntimeConfigLoader({ settings, store, sealer });

  let revision = -1;
  let listenerIds: string[] = [];
  let poolIds: string[] = [];
  let lastFullReload = 0;
  let lastReport = 0;

  let lastStoreOutage: StoreOutage | null = null;
  let outageFrom: string | null = null;
  // The listener and pool part of the last row written: a heartbeat that changes nothing else is a one-column UPDATE.
  let lastWritten = "";

  const report = async (stopped: boolean) => {
    const endpoints: Record<string, EndpointStatus> = Object.fromEntries(listenerIds.map((id) => [id, dataplane.status(id)]));
    const pools: Record<string, Record<string, MemberHealth>> = Object.fromEntries(poolIds.map((id) => [id, dataplane.poolHealth(id)]));
    const now = new Date().toISOString();
    const content = JSON.stringify([revision, endpoints, pools, lastStoreOutage, stopped]);
    if (content !== lastWritten || !(await touchNode(store.db, nodeId, now))) {
      const row: NodeReport = {
        id: nodeId,
        hostname: os.hostname(),
        address: settings.dataplaneHost,
        version: packageJson.version,
        pid: process.pid,
        workers: node.workers ?? 1,
        metricsUrl: node.metricsUrl ?? null,
        startedAt,
        lastSeenAt: now,
        stopped,
        appliedRevision: revision,
        listeners: endpoints,
        pools,
        lastStoreOutage,
      };
      await writeNodeReport(store.db, row);
      lastWritten = content;
    }
    lastReport = Date.now();
    onReport({ revision, endpoints, pools });
  };

  const reload = async (next: number, full = false) => {
    // The revision is read before the listeners: a change committed in between is loaded now and
    // loaded again on the next poll, never missed.
    const started = Date.now();
    const configs = await loader.load({ full });
    if (full || revision < 0) lastFullReload = started;
    await dataplane.apply(configs);
    const tookMs = Date.now() - started;
    const first = revision < 0;
    revision = next;
    listenerIds = configs.map((config) => config.id);
    poolIds = [...new Set(configs.flatMap((config) => (config.pool ? [config.pool.id] : [])))];
    await report(false);
    if (first) {
      log(`serving ${configs.length} listener(s) from the ${store.dialect} store, revision ${revision} (loaded and applied in ${tookMs} ms)`);
      if (listenerIds.some((id) => /already (in use|used)/.test(dataplane.status(id).error ?? ""))) {
        log("some ports are taken; if the console runs with its embedded endpoints, start it with CERTGATE_EMBEDDED_DATAPLANE=0");
      }
    }
  };

  const tick = async (forced = false, full = false) => {
    try {
      const current = await readConfigRevision(store.db);
      if (outageFrom) {
        lastStoreOutage = { from: outageFrom, to: new Date().toISOString() };
        log(`the store is reachable again (unreachable since ${outageFrom}); resynchronizing`);
        outageFrom = null;
        full = true;
      }
      const resync = full || Date.now() - lastFullReload > RESYNC_MS;
      if (resync || current !== revision) await reload(current, resync);
      else if (forced || Date.now() - lastReport >= NODE_HEARTBEAT_MS) await report(false);
    } catch (error) {
      // Keep serving what is in force; say so once per outage (the node record says so when the store is back).
      if (!outageFrom) {
        outageFrom = new Date().toISOString();
        log(`cannot reach the store, serving the last configuration (revision ${revision}) until it is back: ${(error as Error).message}`);
      }
    }
  };

  // Polls and nudges take turns: one reload at a time.
  let running: Promise<void> = Promise.resolve();
  const serialized = (forced: boolean, full = false) => (running = running.then(() => tick(forced, full)));

  await forgetOldNodes(store.db);
  await reload(await readConfigRevision(store.db));

  // PostgreSQL tells every node about a new revision as its transaction commits; each (re)connection
  // starts with a full resync, because notifications sent while the connection was down are lost.
  let notifications: NotificationListener | null = null;
  if (settings.databaseUrl && store.dialect === "postgres") {
    let listening = false;
    notifications = listenForNotifications(settings.databaseUrl, CONFIG_CHANNEL, {
      onNotify: (payload) => {
        if (!stopping && revisionOfNotification(payload) !== revision) void serialized(false);
      },
      onListening: () => {
        if (listening) log("change notifications are back; resynchronizing");
        listening = true;
        if (!stopping) void serialized(false, true);
      },
      onLost: (message) => log(`lost the change notifications (${message}); polling every ${POLL_MS.postgres} ms until they are back`),
    });
  }
  const pollMs = POLL_MS[store.dialect];

  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      void serialized(false).finally(() => {
        if (!stopping) schedule();
      });
    }, pollMs);
  };
  schedule();

  return {
    dataplane,
    nodeId,
    get revision() {
      return revision;
    },
    reloadNow: () => serialized(true),
    async close() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (healthReport) clearTimeout(healthReport);
      await notifications?.close();
      await running;
      await dataplane.close();
      try {
        await report(true);
      } catch (error) {
        log(`could not record the shutdown in the store: ${(error as Error).message}`);
      }
      await store.close();
    },
  };
}
