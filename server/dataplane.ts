// `npm run dataplane`: serves every listener from the store, without the console.
//
// Same environment as the console (DATA_DIR, DATABASE_URL, CERTGATE_SECRET, DATAPLANE_HOST); no demo
// is seeded. Run it INSTEAD of the console's embedded endpoints: start the console with
// CERTGATE_EMBEDDED_DATAPLANE=0, or both will try to bind the same ports. Saves made in the console
// are served within ~50 ms; the console shows this process's endpoint states.
//
// The console's embedded mode runs this same program as its child process (lib/services/child-dataplane.ts),
// so the endpoints never share an event loop with the console's request parsing: then it also takes
// the console's nudges and answers with what it applied over the IPC channel, and stops with its parent.
//
// Through tsx (tests, `next dev`) it runs with `--conditions=react-server`, because the store is
// marked `import "server-only"` and that package loads only under React's server condition; the
// compiled dist/dataplane.js needs no flag (scripts/build-server.mjs resolves server-only to nothing).
import os from "node:os";
import path from "node:path";
import { readSettings } from "../lib/config";
import { createDataplane } from "../lib/dataplane";
import { createClusterDataplane, type ClusterDataplane } from "../lib/dataplane/cluster-dataplane";
import { DataplaneMetrics, meteredFactory, metricsUrl, startMetricsServer } from "../lib/dataplane/metrics";
import type { DataplaneOptions } from "../lib/dataplane/types";
import { isReloadMessage, type AppliedMessage } from "../lib/services/dataplane-ipc";
import { startStandaloneDataplane } from "../lib/services/standalone-dataplane";

const log = (line: string) => console.log(`[certgate dataplane] ${line}`);

/**
 * The worker entry next to this file: dist/dataplane-worker.js when compiled, the TypeScript source
 * under tsx (tests), which the worker then needs too.
 */
function workerEntry(): { exec: string; execArgv: string[] } {
  // No --enable-source-maps in workers: it costs ~3 MiB each, and a worker logs messages, not stacks.
  if (__filename.endsWith(".js")) return { exec: path.join(__dirname, "dataplane-worker.js"), execArgv: [] };
  return { exec: path.join(__dirname, "dataplane-worker.ts"), execArgv: ["--import", "tsx"] };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const parent = process.send ? (message: AppliedMessage) => process.send?.(message) : null;
  // Stand-alone: a cluster primary doing the store work, with workers that only serve. The
  // console's child stays one process (the console's machine runs the console too).
  const workers = parent ? 1 : (settings.dataplaneWorkers ?? 1);
  let cluster: ClusterDataplane | null = null;
  const metrics = new DataplaneMetrics();
  const factory = meteredFactory(metrics, (options: DataplaneOptions) => {
    if (parent) return createDataplane(options);
    cluster = createClusterDataplane({ ...options, workers, ...workerEntry() });
    return cluster;
  });
  if (!parent) log(`starting ${workers} worker(s) (CERTGATE_DATAPLANE_WORKERS)`);
  // The metrics server comes first, so the node's registry record can name it from the start.
  let node: Awaited<ReturnType<typeof startStandaloneDataplane>> | null = null;
  let published: string | null = null;
  const metricsPort = settings.metricsPort ?? 0;
  if (metricsPort > 0) {
    const render = () => {
      const primary = { worker: "primary", rss: process.memoryUsage.rss() };
      const pool = cluster as ClusterDataplane | null;
      const memory = pool ? [primary, ...pool.workers().map((worker) => ({ worker: String(worker.id), rss: worker.rss }))] : [primary];
      return metrics.render({ active: node?.dataplane.activeConnections?.() ?? {}, workers: memory });
    };
    const server = await startMetricsServer(settings.dataplaneHost, metricsPort, render, log);
    if (server) {
      published = metricsUrl(settings.dataplaneHost, metricsPort);
      log(`metrics at ${published}`);
    }
  }
  node = await startStandaloneDataplane(
    settings,
    log,
    (event) => {
      metrics.setRevision(event.revision);
      parent?.({ type: "applied", ...event });
    },
    { workers, metricsUrl: published, factory },
  );
  const running = node;
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      log(`${reason} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    stopping = true;
    log(`${reason}: closing endpoints`);
    running.close().then(
      () => {
        log("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  if (parent) {
    // Serving traffic outranks the console's request handling when both want the CPU: the embedded
    // data plane asks for a higher priority, which the OS grants only to a privileged user (root, or
    // CAP_SYS_NICE); elsewhere the two simply share the CPU as equals.
    try {
      os.setPriority(-5);
    } catch {
      // not permitted
    }
    process.on("message", (message) => {
      if (isReloadMessage(message)) void running.reloadNow();
    });
    // The console is gone (even killed with -9): nobody would stop the endpoints otherwise.
    process.on("disconnect", () => stop("console gone"));
  }
}

main().catch((error: unknown) => {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
});
