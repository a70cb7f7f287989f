// Embedded mode: the console runs the data plane (server/dataplane.ts, built to dist/dataplane.js)
// as its child process, so a slow or hostile API request can never delay a handshake — the two no
// longer share an event loop. The child serves from the store like `npm run dataplane`; this side
// nudges it after every change, waits until it answers with the revision in force (so "saved" still
// means "enforced"), shows its endpoint states, and restarts it if it dies.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Settings } from "../config";
import type { Dataplane, EndpointStatus } from "../dataplane";
import type { Db } from "../store/database";
import { readConfigRevision } from "../store/dataplane-state-repo";
import { isAppliedMessage, type AppliedMessage, type ReloadMessage } from "./dataplane-ipc";

/** How long a save waits for the child to apply it; the first start (loading every listener) gets longer. */
const APPLY_WAIT_MS = 2_000;
const FIRST_START_WAIT_MS = 20_000;
const RESTART_DELAYS_MS = [250, 1_000, 5_000, 15_000];
const STOP_WAIT_MS = 5_000;

const STOPPED: EndpointStatus = Object.freeze({ state: "stopped", error: null, url: "" });

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
  const waiters = new Set<{ revision: number; resolve: () => void }>();

  const settle = () => {
    for (const waiter of waiters) {
      if (applied && applied.revision >= waiter.revision) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };

  const start = () => {
    const proc = fork(entry.file, [], { execArgv: entry.execArgv, env: childEnv(settings), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child = proc;
    proc.on("message", (message) => {
      if (!isAppliedMessage(message)) return;
      if (!applied) log(`data plane process ${proc.pid} is serving revision ${message.revision}`);
      applied = message;
      crashes = 0;
      settle();
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

  const waitFor = (revision: number, ms: number) =>
    new Promise<void>((resolve) => {
      const waiter = { revision, resolve };
      waiters.add(waiter);
      settle();
      setTimeout(() => {
        if (waiters.delete(waiter)) resolve();
      }, ms).unref();
    });

  return {
    readsStore: true,
    async apply() {
      const saved = await readConfigRevision(db);
      if (applied && applied.revision >= saved) return;
      if (applied) child?.send({ type: "reload" } satisfies ReloadMessage);
      // Not up yet: it loads the newest revision when it starts. Too slow: answer with what is known
      // (the endpoint states then show the old configuration until it catches up).
      await waitFor(saved, applied ? APPLY_WAIT_MS : FIRST_START_WAIT_MS);
    },
    status(listenerId) {
      return { ...(applied?.endpoints[listenerId] ?? STOPPED) };
    },
    poolHealth(poolId) {
      return { ...applied?.pools?.[poolId] };
    },
    running() {
      // Up and reporting; between a crash and the restart's first report nothing serves.
      return applied !== null;
    },
    async close() {
      closing = true;
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
