// The data plane as a process of its own (`npm run dataplane`): the same endpoints the console
// embeds, fed from the same store, without Next. It follows the console's saves by polling one
// cheap row (meta.config_revision, bumped in each change's transaction), writes its connection log
// to the store, and reports its endpoints' states there for a console started with
// CERTGATE_EMBEDDED_DATAPLANE=0.
import type { Settings } from "../config";
import type { Dataplane, EndpointStatus } from "../dataplane";
import type { MemberHealth } from "../dataplane/types";
import { openStore, type Store } from "../store/database";
import { readConfigRevision, writeDataplaneReport } from "../store/dataplane-state-repo";
import { createKeySealer } from "../store/sealed-keys";
import { createRecordedDataplane, type DataplaneFactory } from "./connection-recorder";
import { loadRuntimeConfigs } from "./dataplane-sync";
import { REPORT_HEARTBEAT_MS } from "./reported-dataplane";

/** How often the revision is read: a saved change is served within about this long. */
const POLL_MS = 50;
/** A member's health change is reported this soon after it (changes within it go out together). */
const HEALTH_REPORT_DELAY_MS = 100;
/** A full reload now and then, whatever the revision says: retries listeners in error (a port freed since). */
const RESYNC_MS = 30_000;

export interface StandaloneDataplane {
  readonly dataplane: Dataplane;
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
  factory?: DataplaneFactory,
): Promise<StandaloneDataplane> {
  const store: Store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
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
  const { dataplane } = createRecordedDataplane(store, log, { onPoolHealthChange }, factory);
  const source = { settings, store, sealer };

  let revision = -1;
  let listenerIds: string[] = [];
  let poolIds: string[] = [];
  let lastReload = 0;
  let lastReport = 0;
  let failing = false;

  const report = async (stopped: boolean) => {
    const endpoints = Object.fromEntries(listenerIds.map((id) => [id, dataplane.status(id)]));
    const pools = Object.fromEntries(poolIds.map((id) => [id, dataplane.poolHealth(id)]));
    await writeDataplaneReport(store.db, { revision, reportedAt: new Date().toISOString(), stopped, pid: process.pid, endpoints, pools });
    lastReport = Date.now();
    onReport({ revision, endpoints, pools });
  };

  const reload = async (next: number) => {
    // The revision is read before the listeners: a change committed in between is loaded now and
    // loaded again on the next poll, never missed.
    const started = Date.now();
    const configs = await loadRuntimeConfigs(source);
    await dataplane.apply(configs);
    const tookMs = Date.now() - started;
    const first = revision < 0;
    revision = next;
    listenerIds = configs.map((config) => config.id);
    poolIds = [...new Set(configs.flatMap((config) => (config.pool ? [config.pool.id] : [])))];
    lastReload = Date.now();
    await report(false);
    if (first) {
      log(`serving ${configs.length} listener(s) from the ${store.dialect} store, revision ${revision} (loaded and applied in ${tookMs} ms)`);
      if (listenerIds.some((id) => /already (in use|used)/.test(dataplane.status(id).error ?? ""))) {
        log("some ports are taken; if the console runs with its embedded endpoints, start it with CERTGATE_EMBEDDED_DATAPLANE=0");
      }
    }
  };

  const tick = async (forced = false) => {
    try {
      const current = await readConfigRevision(store.db);
      if (current !== revision || Date.now() - lastReload > RESYNC_MS) await reload(current);
      else if (forced) await report(false);
      else if (Date.now() - lastReport > REPORT_HEARTBEAT_MS) await report(false);
      if (failing) log("the store is reachable again");
      failing = false;
    } catch (error) {
      // Keep serving what is in force; say so once per outage.
      if (!failing) log(`cannot read the store, serving the last configuration: ${(error as Error).message}`);
      failing = true;
    }
  };

  // Polls and nudges take turns: one reload at a time.
  let running: Promise<void> = Promise.resolve();
  const serialized = (forced: boolean) => (running = running.then(() => tick(forced)));

  await reload(await readConfigRevision(store.db));

  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      void serialized(false).finally(() => {
        if (!stopping) schedule();
      });
    }, POLL_MS);
  };
  schedule();

  return {
    dataplane,
    get revision() {
      return revision;
    },
    reloadNow: () => serialized(true),
    async close() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (healthReport) clearTimeout(healthReport);
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
