// The process-wide handles: store, key sealer, data plane. Next may load this module more
// than once per process (instrumentation, route handlers, server actions are bundled
// separately), so the one instance lives on globalThis and starts idempotently.
import "server-only";
import { readSettings, type Settings } from "../config";
import type { Dataplane } from "../dataplane";
import { openStore, type Store } from "../store/database";
import { createKeySealer, type KeySealer } from "../store/sealed-keys";
import { createChildDataplane } from "./child-dataplane";
import { createRecordedDataplane, type ConnectionRecorder } from "./connection-recorder";
import { seedDemoOnce } from "./demo-seed";
import { syncDataplane } from "./dataplane-sync";
import { ensureFirstAdmin } from "./first-admin";
import { createReportedDataplane } from "./reported-dataplane";

export interface Runtime {
  settings: Settings;
  store: Store;
  sealer: KeySealer;
  /**
   * The embedded endpoints — in the console's child process (lib/services/child-dataplane.ts), or in
   * this process for tests and benchmarks — or (CERTGATE_EMBEDDED_DATAPLANE=0) a view of the
   * stand-alone data plane's states as it reports them into the store.
   */
  dataplane: Dataplane;
  /** Writes the embedded endpoints' connection log to the store; absent without embedded endpoints. */
  connectionRecorder?: ConnectionRecorder;
}

const RUNTIME_KEY = Symbol.for("certgate.runtime");
type GlobalWithRuntime = typeof globalThis & { [RUNTIME_KEY]?: Promise<Runtime> };

const logDataplane = (line: string) => console.log(`[certgate dataplane] ${line}`);

/** Builds a runtime from explicit parts; tests use it with their own store and data plane. */
export async function startRuntime(settings: Settings, parts?: Partial<Pick<Runtime, "store" | "dataplane">>): Promise<Runtime> {
  const store = parts?.store ?? (await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir }));
  let dataplane = parts?.dataplane;
  let connectionRecorder: ConnectionRecorder | undefined;
  if (!dataplane && settings.embeddedDataplane === false) {
    dataplane = createReportedDataplane(store.db, { log: logDataplane });
  } else if (!dataplane && settings.dataplaneProcess === "child") {
    dataplane = createChildDataplane(settings, store.db, logDataplane);
  } else if (!dataplane) {
    ({ dataplane, recorder: connectionRecorder } = createRecordedDataplane(store, logDataplane));
  }
  const runtime: Runtime = {
    settings,
    store,
    sealer: createKeySealer({ secret: settings.secret, dataDir: settings.dataDir }),
    dataplane,
    connectionRecorder,
  };
  await ensureFirstAdmin(store.db, settings.dataDir, process.env, (line) => console.log(`[certgate] ${line}`));
  if (settings.demo) await seedDemoOnce(runtime);
  await syncDataplane(runtime);
  return runtime;
}

/** The process's runtime, started on first use from the environment. */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as GlobalWithRuntime;
  if (!holder[RUNTIME_KEY]) {
    holder[RUNTIME_KEY] = startRuntime(readSettings()).catch((error: unknown) => {
      // Let the next request try again instead of caching the failure forever.
      delete holder[RUNTIME_KEY];
      throw error;
    });
  }
  return holder[RUNTIME_KEY];
}
