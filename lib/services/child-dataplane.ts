// Embedded mode: the console runs the data plane (server/dataplane.ts, built to dist/dataplane.js)
// as its child process, so a slow or hostile API request can never delay a handshake — the two no
// longer share an event loop. The child serves from the store like `npm run dataplane` and registers
// as a node like it; this side nudges it after every change (so SQLite needs no faster polling), and
// restarts it if it dies. What is served, and waiting until a save is in force on every live node,
// is the node registry's view (reported-dataplane.ts), the same as without embedded endpoints.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Settings } from "../config";
import type { Dataplane } from "../dataplane";
import type { Db } from "../store/database";
import { isAppliedMessage, type AppliedMessage, type ReloadMessage } from "./dataplane-ipc";
import { createReportedDataplane } from "./reported-dataplane";

/** How long the console's first sync waits for the child's first start (loading every listener). */
const FIRST_START_WAIT_MS = 20_000;
const RESTART_DELAYS_MS = [250, 1_000, 5_000, 15_000];
const STOP_WAIT_MS = 5_000;

export interface DataplaneEntry {
  file: string;
  execArgv: string[];
}

/** The compiled entry, or (under `next dev`, before any build) the TypeScript source through tsx. */
function compiledOrSourceEntry(): DataplaneEntry {
  const root = process.cwd();
  const compiled = path.join(/*turbopackIgnore: true*/ root, "dist", "dataplane.js");
  if (fs.existsSync(compiled)) return { file: compiled, execArgv: ["--enable-source-maps"] };
  return { file: path.join(/*turbopackIgnore: true*/ root, "server", "dataplane.ts"), execArgv: ["--conditions=react-server", "--import", "tsx"] };
}

/** The child reads the console's settings from its environment, the same way `npm run dataplane` does. */
function childEnv(settings: Settings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: settings.dataDir,
    DATABASE_URL: settings.databaseUrl ?? "",
    CERTGATE_SECRET: settings.secret ?? "",
    DATAPLANE_HOST: settings.dataplaneHost,
  };
}

export function createChildDataplane(settings: Settings, db: Db, log: (line: string) => void, entry = compiledOrSourceEntry()): Dataplane {
  let child: ChildProcess | null = null;
  let applied: AppliedMessage | null = null;
  let closing = false;
  let crashes = 0;
  const view = createReportedDataplane(db, {
    log,
    nudge: () => {
      if (applied) child?.send({ type: "reload" } satisfies ReloadMessage);
    },
  });
  const firstStartWaiters = new Set<() => void>();

  const start = () => {
    const proc = fork(entry.file, [], { execArgv: entry.execArgv, env: childEnv(settings), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child = proc;
    proc.on("message", (message) => {
      if (!isAppliedMessage(message)) return;
      if (!applied) log(`data plane process ${proc.pid} is serving revision ${message.revision}`);
      applied = message;
      crashes = 0;
      for (const resolve of firstStartWaiters) resolve();
      firstStartWaiters.clear();
      view.wake();
    });
    proc.on("exit", (code, signal) => {
      if (child === proc) child = null;
      applied = null;
      if (closing) return;
      const delay = RESTART_DELAYS_MS[Math.min(crashes, RESTART_DELAYS_MS.length - 1)];
      crashes++;
      log(`data plane process ${proc.pid} exited (${signal ?? `code ${code}`}); restarting it in ${delay} ms`);
      setTimeout(() => {
        if (!closing) start();
      }, delay).unref();
    });
  };
  start();

  // Not up yet (the console's first sync, or right after a crash): wait for its first report, then for the save.
  const started = () =>
    new Promise<void>((resolve) => {
      if (applied) return resolve();
      firstStartWaiters.add(resolve);
      setTimeout(() => {
        if (firstStartWaiters.delete(resolve)) resolve();
      }, FIRST_START_WAIT_MS).unref();
    });

  return {
    readsStore: true,
    async apply(configs) {
      await started();
      await view.apply(configs);
    },
    status: (listenerId) => view.status(listenerId),
    poolHealth: (poolId) => view.poolHealth(poolId),
    running: () => view.running(),
    async close() {
      closing = true;
      await view.close();
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
