// A data plane worker: serves the listeners its primary sends, nothing else (no store, no
// database driver, so a worker stays small). It keeps the full map of configurations, applies
// each change set, and answers with its endpoints' states; connection records and pool health go
// back to the primary in batches, off the handshake path.
import { isPrimaryMessage, type WorkerMessage, type WorkerStats } from "./cluster-messages";
import { createDataplane } from "./dataplane";
import type { ConnectionRecord, ListenerRuntimeConfig, MemberHealth } from "./types";

/** Connection records wait at most this long before going to the primary… */
const BATCH_MS = 50;
/** …or until this many are waiting. */
const BATCH_SIZE = 256;
/** Open connections and memory are reported this often (and with each apply answer). */
const STATS_INTERVAL_MS = 5_000;

export function runDataplaneWorker(log: (line: string) => void): void {
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  let batch: [string, ConnectionRecord][] = [];
  let batchTimer: NodeJS.Timeout | null = null;
  const flushConnections = () => {
    if (batchTimer) clearTimeout(batchTimer);
    batchTimer = null;
    if (batch.length === 0) return;
    send({ type: "connections", batch });
    batch = [];
  };
  const configs = new Map<string, ListenerRuntimeConfig>();
  const poolsInUse = () => new Set([...configs.values()].flatMap((config) => (config.pool ? [config.pool.id] : [])));
  const allPoolHealth = (): Record<string, Record<string, MemberHealth>> =>
    Object.fromEntries([...poolsInUse()].map((id) => [id, dataplane.poolHealth(id)]));
  const stats = (): WorkerStats => ({ active: dataplane.activeConnections?.() ?? {}, rss: process.memoryUsage.rss() });

  const dataplane = createDataplane({
    log,
    onConnection: (listenerId, record) => {
      batch.push([listenerId, record]);
      if (batch.length >= BATCH_SIZE) flushConnections();
      else if (!batchTimer) batchTimer = setTimeout(flushConnections, BATCH_MS);
    },
    onPoolHealthChange: () => send({ type: "health", pools: allPoolHealth() }),
  });

  const statsTimer = setInterval(() => send({ type: "stats", ...stats() }), STATS_INTERVAL_MS);
  statsTimer.unref();

  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    clearInterval(statsTimer);
    dataplane.close().then(
      () => {
        flushConnections();
        // The last records must reach the primary before the process ends.
        if (process.connected) process.send?.({ type: "stats", ...stats() } satisfies WorkerMessage, () => process.exit(0));
        else process.exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };

  process.on("message", (message) => {
    if (!isPrimaryMessage(message)) return;
    if (message.type === "close") return close();
    for (const id of message.removed) configs.delete(id);
    for (const config of message.changed) configs.set(config.id, config);
    const seq = message.seq;
    dataplane.apply([...configs.values()]).then(
      () => {
        const endpoints = Object.fromEntries([...configs.keys()].map((id) => [id, dataplane.status(id)]));
        send({ type: "applied", seq, endpoints, pools: allPoolHealth(), ...stats() });
      },
      (error: unknown) => log(`apply failed: ${(error as Error).message}`),
    );
  });
  // The primary decides when workers stop (SIGINT to the whole group included): it sends "close".
  process.on("SIGINT", () => {});
  process.on("SIGTERM", close);
  // The primary is gone (even killed with -9): nobody would stop the endpoints otherwise.
  process.on("disconnect", () => {
    if (!closing) {
      log("primary gone: closing endpoints");
      close();
    }
  });
  send({ type: "ready" });
}
