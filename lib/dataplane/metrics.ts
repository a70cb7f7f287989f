// /metrics of a data plane node, in the Prometheus text exposition format 0.0.4. Handshakes are
// counted from the connection records the node already receives (never on the handshake path);
// open connections and worker memory come from the workers' reports.
import os from "node:os";
import http from "node:http";
import type { ConnectionRecord, Dataplane, DataplaneOptions, ListenerRuntimeConfig } from "./types";

/** Upper bounds (seconds) of the reload histogram's buckets. */
const RELOAD_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A label value as the format wants it: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(",");
  return inner ? `{${inner}}` : "";
}

export interface WorkerMemory {
  worker: string;
  rss: number;
}

export class DataplaneMetrics {
  private readonly handshakes = new Map<string, { listener: string; outcome: string; reason: string; count: number }>();
  private readonly names = new Map<string, string>();
  private revision: number | null = null;
  private readonly reloadCounts = RELOAD_BUCKETS.map(() => 0);
  private reloadCount = 0;
  private reloadSum = 0;
  private lastReload: number | null = null;

  /** The onConnection hook's counting half. */
  readonly countConnection = (listenerId: string, record: ConnectionRecord): void => {
    const key = `${listenerId}\0${record.outcome}\0${record.reason}`;
    const entry = this.handshakes.get(key);
    if (entry) entry.count += 1;
    else this.handshakes.set(key, { listener: listenerId, outcome: record.outcome, reason: record.reason, count: 1 });
  };

  setRevision(revision: number): void {
    this.revision = revision;
  }

  observeReload(configs: ListenerRuntimeConfig[], seconds: number): void {
    for (const config of configs) this.names.set(config.id, config.name);
    this.lastReload = seconds;
    this.reloadCount += 1;
    this.reloadSum += seconds;
    RELOAD_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.reloadCounts[index] += 1;
    });
  }

  render(state: { active: Record<string, number>; workers: WorkerMemory[] }): string {
    const out: string[] = [];
    const name = (id: string) => this.names.get(id) ?? "";
    out.push("# HELP certgate_handshakes_total Client connections by listener, outcome and reason.");
    out.push("# TYPE certgate_handshakes_total counter");
    for (const entry of this.handshakes.values()) {
      out.push(`certgate_handshakes_total${labels({ listener: entry.listener, listener_name: name(entry.listener), outcome: entry.outcome, reason: entry.reason })} ${entry.count}`);
    }
    out.push("# HELP certgate_active_connections Connections open now (as last reported by the workers).");
    out.push("# TYPE certgate_active_connections gauge");
    for (const [id, count] of Object.entries(state.active)) out.push(`certgate_active_connections${labels({ listener: id, listener_name: name(id) })} ${count}`);
    out.push("# HELP certgate_config_revision The configuration revision this node has applied.");
    out.push("# TYPE certgate_config_revision gauge");
    if (this.revision !== null) out.push(`certgate_config_revision ${this.revision}`);
    out.push("# HELP certgate_reload_last_duration_seconds How long the last reload took to be in force.");
    out.push("# TYPE certgate_reload_last_duration_seconds gauge");
    if (this.lastReload !== null) out.push(`certgate_reload_last_duration_seconds ${this.lastReload}`);
    out.push("# HELP certgate_reload_duration_seconds How long reloads took to be in force on every worker.");
    out.push("# TYPE certgate_reload_duration_seconds histogram");
    RELOAD_BUCKETS.forEach((bound, index) => out.push(`certgate_reload_duration_seconds_bucket${labels({ le: String(bound) })} ${this.reloadCounts[index]}`));
    out.push(`certgate_reload_duration_seconds_bucket{le="+Inf"} ${this.reloadCount}`);
    out.push(`certgate_reload_duration_seconds_sum ${this.reloadSum}`);
    out.push(`certgate_reload_duration_seconds_count ${this.reloadCount}`);
    out.push("# HELP certgate_workers Processes serving the listeners on this node.");
    out.push("# TYPE certgate_workers gauge");
    out.push(`certgate_workers ${state.workers.filter((worker) => worker.worker !== "primary").length || 1}`);
    out.push("# HELP certgate_worker_resident_memory_bytes Resident memory of each process of this node.");
    out.push("# TYPE certgate_worker_resident_memory_bytes gauge");
    for (const worker of state.workers) out.push(`certgate_worker_resident_memory_bytes${labels({ worker: worker.worker })} ${worker.rss}`);
    return `${out.join("\n")}\n`;
  }
}

/**
 * Wraps a Dataplane factory so the node's metrics see every connection record and every apply;
 * the records still go on to the given onConnection (the store's recorder).
 */
export function meteredFactory(
  metrics: DataplaneMetrics,
  factory: (options: DataplaneOptions) => Dataplane,
): (options: DataplaneOptions) => Dataplane {
  return (options) => {
    const inner = factory({
      ...options,
      onConnection: (listenerId, record) => {
        metrics.countConnection(listenerId, record);
        options.onConnection?.(listenerId, record);
      },
    });
    return {
      ...inner,
      async apply(configs) {
        const started = process.hrtime.bigint();
        await inner.apply(configs);
        metrics.observeReload(configs, Number(process.hrtime.bigint() - started) / 1e9);
      },
    };
  };
}

/**
 * Serves GET /metrics on host:port. A port in use (or any listen error) is logged and the node keeps
 * serving its listeners; resolves to the server, or null when it could not listen.
 */
export function startMetricsServer(host: string, port: number, render: () => string, log: (line: string) => void): Promise<http.Server | null> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found: the metrics are at /metrics\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(render());
  });
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? `port ${port} is already in use` : error.message;
      log(`metrics not served on ${host}:${port}: ${why}; set CERTGATE_METRICS_PORT to a free port (0 turns metrics off). The listeners are served regardless.`);
      resolve(null);
    });
    server.listen(port, host, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** "http://HOST:PORT/metrics" for a metrics server bound to host:port. */
export function metricsUrl(host: string, port: number): string {
  // Bound to every address: the URL is published in the node registry for people on other machines,
  // so it names the host rather than a loopback address only this machine can reach.
  const shown = host === "0.0.0.0" || host === "" || host === "::" ? os.hostname() : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/metrics`;
}
