// The data plane over 2 real worker processes (node:cluster, the worker entry under tsx): both
// serve a listener, a change is enforced by every worker when apply resolves, a TLS session resumes
// on the other worker but never across a Client CA change, a killed worker is replaced, and the
// node's /metrics counts handshakes by outcome and reason.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testCertText } from "../../test/certs";
import { attempt, clientCred, eventually, FeedLog, httpsListener } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { createClusterDataplane, type ClusterDataplane } from "./cluster-dataplane";
import { DataplaneMetrics, meteredFactory, startMetricsServer } from "./metrics";
import type { Dataplane, DataplaneOptions } from "./types";

const WORKER = { exec: path.resolve(__dirname, "../../server/dataplane-worker.ts"), execArgv: ["--import", "tsx"] };

let cluster: ClusterDataplane | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function start(options: DataplaneOptions = {}): ClusterDataplane {
  cluster = createClusterDataplane({ ...options, workers: 2, ...WORKER });
  return cluster;
}

const total = (dp: ClusterDataplane) => dp.workers().reduce((sum, worker) => sum + worker.connections, 0);

/** One connection; resolves with the result and the index of the worker that served it (from its connection record). */
async function attemptOn(dp: ClusterDataplane, port: number, options: Parameters<typeof attempt>[1] = {}) {
  const before = dp.workers().map((worker) => worker.connections);
  const result = await attempt(port, options);
  const after = await eventually(() => {
    const now = dp.workers();
    expect(now.reduce((sum, worker) => sum + worker.connections, 0)).toBe(before.reduce((a, b) => a + b, 0) + 1);
    return now;
  });
  const worker = after.findIndex((entry, index) => entry.connections > (before[index] ?? 0));
  return { result, worker };
}

describe("the data plane over two worker processes", () => {
  it("serves on both workers and enforces a change on every worker once apply resolves", async () => {
    const feed = new FeedLog();
    const dp = start({ onConnection: feed.onConnection });
    const port = await freePort();
    const open = httpsListener(port);
    await dp.apply([open]);
    expect(dp.status(open.id)).toMatchObject({ state: "serving", error: null });
    expect(dp.workers()).toHaveLength(2);

    // Connect until both workers have served (SCHED_NONE: the kernel picks whichever accepts first).
    const served = new Set<number>();
    for (let i = 0; i < 200 && served.size < 2; i += 1) {
      const { result, worker } = await attemptOn(dp, port);
      expect(result.response?.status).toBe(200);
      served.add(worker);
    }
    expect(served).toEqual(new Set([0, 1]));

    // Client CA required: from the moment apply resolves, no connection without a certificate passes.
    const closed = httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] }, { id: open.id, name: open.name });
    await dp.apply([closed]);
    const results = await Promise.all(Array.from({ length: 40 }, () => attempt(port)));
    // Required mode refuses in the handshake: not one HTTP byte.
    for (const result of results) expect(result.httpBytes).toBe(0);
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
    await eventually(() => expect(feed.of(open.id).filter((record) => record.reason === "no_certificate")).toHaveLength(40));
    expect(total(dp)).toBeGreaterThanOrEqual(42);
  }, 60_000);

  for (const version of ["TLSv1.3", "TLSv1.2"] as const) {
    it(`resumes a ${version} session on the other worker, and never across a Client CA change`, async () => {
      const dp = start();
      const port = await freePort();
      const ca = { enabled: true, mode: "optional" as const, caCertificatesPem: [testCertText("root-ca.pem")], pinnedCertificatesDer: [] };
      const listener = httpsListener(port, ca);
      await dp.apply([listener]);
      const first = await attemptOn(dp, port, { maxVersion: version, ...clientCred("client") });
      expect(first.result.reused).toBe(false);
      const session = first.result.session!;
      expect(session).not.toBeNull();
      let other: Awaited<ReturnType<typeof attemptOn>> | null = null;
      for (let i = 0; i < 200 && !other; i += 1) {
        const next = await attemptOn(dp, port, { maxVersion: version, session, ...clientCred("client") });
        if (next.worker !== first.worker) other = next;
      }
      expect(other, "the other worker never took a connection").not.toBeNull();
      expect(other!.result.reused).toBe(true);

      // Client CA now trusts another CA: new ticket keys on every worker, the old session is useless.
      await dp.apply([{ ...listener, tls: { ...listener.tls!, clientAuth: { ...ca, caCertificatesPem: [testCertText("other-ca.pem")] } } }]);
      for (let i = 0; i < 10; i += 1) {
        const after = await attempt(port, { maxVersion: version, session, ...clientCred("client") });
        expect(after.handshake).toBe(true);
        expect(after.reused).toBe(false);
      }
    }, 60_000);
  }

  it("replaces a killed worker, which then serves the current configuration", async () => {
    const logs: string[] = [];
    const dp = start({ log: (line) => logs.push(line) });
    const port = await freePort();
    const listener = httpsListener(port);
    await dp.apply([listener]);
    const [victim, survivor] = dp.workers();
    process.kill(victim.pid, "SIGKILL");
    // The other worker keeps serving meanwhile.
    expect((await attempt(port)).response?.status).toBe(200);
    const replaced = await eventually(() => {
      const now = dp.workers();
      expect(now).toHaveLength(2);
      expect(now.map((worker) => worker.pid)).not.toContain(victim.pid);
      expect(now.map((worker) => worker.pid)).toContain(survivor.pid);
      expect(logs.some((line) => line.includes("serves the current configuration"))).toBe(true);
      return now;
    }, 15_000);
    expect(dp.status(listener.id)).toMatchObject({ state: "serving" });
    const fresh = replaced.findIndex((worker) => worker.pid !== survivor.pid);
    const served = new Set<number>();
    for (let i = 0; i < 200 && !served.has(fresh); i += 1) {
      const { result, worker } = await attemptOn(dp, port);
      expect(result.response?.status).toBe(200);
      served.add(worker);
    }
    expect(served.has(fresh)).toBe(true);
    expect(logs.some((line) => line.includes(`worker ${victim.pid} exited`))).toBe(true);
  }, 60_000);

  it("counts handshakes by listener, outcome and reason in /metrics", async () => {
    const metrics = new DataplaneMetrics();
    let dp: Dataplane | undefined;
    const factory = meteredFactory(metrics, (options) => (dp = start(options)));
    const node = factory({});
    const port = await freePort();
    const listener = httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] }, { name: 'edge "a"\\b' });
    await node.apply([listener]);
    metrics.setRevision(7);
    for (let i = 0; i < 3; i += 1) expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await attempt(port)).httpBytes).toBe(0);
    const metricsPort = await freePort();
    const render = () => metrics.render({ active: node.activeConnections?.() ?? {}, workers: [{ worker: "primary", rss: process.memoryUsage.rss() }, ...cluster!.workers().map((w) => ({ worker: String(w.id), rss: w.rss }))] });
    const server = await startMetricsServer("127.0.0.1", metricsPort, render, () => {});
    try {
      const text = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
        const body = await response.text();
        expect(body).toContain(`reason="no_certificate"} 2`);
        return body;
      });
      const samples = parseExposition(text);
      const name = 'edge \\"a\\"\\\\b';
      expect(samples.get(`certgate_handshakes_total{listener="${listener.id}",listener_name="${name}",outcome="accepted",reason="ok"}`)).toBe(3);
      expect(samples.get(`certgate_handshakes_total{listener="${listener.id}",listener_name="${name}",outcome="rejected",reason="no_certificate"}`)).toBe(2);
      expect(samples.get("certgate_config_revision")).toBe(7);
      expect(samples.get("certgate_workers")).toBe(2);
      expect(samples.get('certgate_reload_duration_seconds_count')).toBe(1);
      expect(samples.get('certgate_worker_resident_memory_bytes{worker="0"}')).toBeGreaterThan(10_000_000);
      expect([...samples.keys()].some((key) => key.startsWith("certgate_active_connections{"))).toBe(true);
      // A second server on the same port is refused with a clear message; nothing throws.
      const lines: string[] = [];
      expect(await startMetricsServer("127.0.0.1", metricsPort, render, (line) => lines.push(line))).toBeNull();
      expect(lines[0]).toContain(`port ${metricsPort} is already in use`);
      expect(dp).toBe(cluster);
    } finally {
      server?.close();
    }
  }, 60_000);
});

/** Samples of a text exposition by "name{labels}"; every line must be a comment or a well-formed sample. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const declared = new Set<string>();
  for (const line of text.trimEnd().split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-z_]+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram"]).toContain(meta[3]);
        declared.add(meta[2]);
      }
      continue;
    }
    const sample = /^([a-z_]+)(\{(?:[a-z_]+="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|\+Inf)$/.exec(line);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const family = sample![1].replace(/_(bucket|sum|count)$/, "");
    expect(declared.has(sample![1]) || declared.has(family)).toBe(true);
    samples.set(`${sample![1]}${sample![2] ?? ""}`, Number(sample![3]));
  }
  return samples;
}
