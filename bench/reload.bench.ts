// A node's work for one change among many listeners (issue 12, "Propagation"): a store with 1,000
// HTTPS listeners (10 server certificates; every third listener with a Client CA, those of one CA
// with a CRL in force; every other one forwarding to one of 20 pools), a data plane serving all of
// them in this process; then ONE listener changed through the use case (as the API does: Client CA
// on/off, a new SecureContext), and the node's reload timed: load from the store + apply().
// "before": every reload a full load (all rows read, every certificate's key unsealed, new objects,
// so apply() computes every listener's keys); "after": the incremental loader (light version reads,
// only the changed rows, the same objects for the rest, which apply() skips). Goal: ≤ 50 ms.
// SQLite file always; PostgreSQL too when TEST_DATABASE_URL (or DATABASE_URL) is set.
// Knobs: BENCH_LISTENERS (1000; ports BENCH_FIRST_PORT 23000 upwards), BENCH_CHANGES (50).
// Note: the full load "before" already unseals each certificate once (10 keys), not once per
// listener (1,000) as the code before the loader did: the old figure was higher still.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDataplane, type ListenerRuntimeConfig } from "../lib/dataplane";
import { uploadCertificate } from "../lib/services/certificates";
import { uploadCrl } from "../lib/services/crls";
import { createListener, updateListener } from "../lib/services/listeners";
import { createLoadBalancer } from "../lib/services/load-balancers";
import { createPool } from "../lib/services/pools";
import { startRuntime } from "../lib/services/runtime";
import { createRuntimeConfigLoader } from "../lib/services/runtime-config-loader";
import { openStore, type Store } from "../lib/store/database";
import { buildCrl } from "../test/crl-builder";
import { localSettings } from "../test/settings";
import { makeBenchCerts, type BenchCerts } from "./support/pki";
import { runBenchmark } from "./support/proc";

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 1000);
const FIRST_PORT = Number(process.env.BENCH_FIRST_PORT ?? 23000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const SERVER_CERTS = 10;
const POOLS = 20;
const GOAL_MS = 50;
const ACTOR = { name: "bench" };

const line = (text: string) => console.log(text);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const p = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms`;
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function run(dialect: string, store: Store, dataDir: string, certs: BenchCerts[]): Promise<void> {
  const settings = localSettings(dataDir, { embeddedDataplane: false });
  // The console that makes the changes: it serves nothing itself, the node below does.
  const console_ = await startRuntime(settings, { store });
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const servers: { id: string }[] = [];
  const cas: { id: string }[] = [];
  for (const [i, set] of certs.entries()) {
    servers.push(await uploadCertificate(console_, { name: `server-${i}`, kind: "server", certificate: read(set.serverPem), privateKey: read(set.serverKey) }, ACTOR));
    cas.push(await uploadCertificate(console_, { name: `ca-${i}`, kind: "ca", certificate: read(set.caPem) }, ACTOR));
  }
  const serials = Array.from({ length: 1000 }, () => BigInt(`0x${crypto.randomBytes(16).toString("hex")}`) | 1n);
  const crl = buildCrl({ caCertificate: read(certs[0].caPem), caKey: read(certs[0].caPem.replace(/ca\.pem$/, "ca.key")), thisUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + 86_400_000), serials });
  await uploadCrl(console_, cas[0].id, crl, ACTOR);
  const lb = await createLoadBalancer(console_, { name: "many" }, ACTOR);
  const pools: { id: string }[] = [];
  for (let i = 0; i < POOLS; i++) {
    // Members nobody answers on, checked rarely: the pools are configuration here, not traffic.
    pools.push(await createPool(console_, lb.id, { name: `pool-${i}`, members: [{ address: "127.0.0.1", port: 9 + i }], healthCheck: { path: "/", intervalSeconds: 300, healthyThreshold: 1, unhealthyThreshold: 1 } }, ACTOR));
  }
  const setupStart = process.hrtime.bigint();
  const ids: string[] = [];
  for (let i = 0; i < LISTENERS; i++) {
    const clientAuth = i % 3 === 0 ? { enabled: true, caCertificateId: cas[i % SERVER_CERTS].id } : undefined;
    const defaultPoolId = i % 2 === 0 ? pools[i % POOLS].id : undefined;
    const created = await createListener(console_, lb.id, { name: `https-${i}`, protocol: "HTTPS", port: FIRST_PORT + i, certificateId: servers[i % SERVER_CERTS].id, clientAuth, defaultPoolId }, ACTOR);
    ids.push(created.id);
  }
  line(`[${dialect}] store: ${LISTENERS} HTTPS listeners, ${SERVER_CERTS} server certificates, ${Math.ceil(LISTENERS / 3)} with Client CA (${Math.ceil(LISTENERS / 30)} with a 1,000-entry CRL), ${Math.ceil(LISTENERS / 2)} forwarding to ${POOLS} pools (made in ${(since(setupStart) / 1000).toFixed(1)} s)`);

  // The node: its own loader and data plane, as `npm run dataplane` has them.
  const node = { store, sealer: console_.sealer, settings };
  const dataplane = createDataplane();
  const loader = createRuntimeConfigLoader(node);
  let start = process.hrtime.bigint();
  let configs = await loader.load();
  const firstLoadMs = since(start);
  start = process.hrtime.bigint();
  await dataplane.apply(configs);
  const firstApplyMs = since(start);
  const notServing = configs.filter((config) => dataplane.status(config.id).state !== "serving");
  if (notServing.length > 0) throw new Error(`${notServing.length} listener(s) not serving, e.g. ${dataplane.status(notServing[0].id).error}`);
  line(`[${dialect}] first full load ${firstLoadMs.toFixed(0)} ms, first apply (bind ${LISTENERS} endpoints) ${firstApplyMs.toFixed(0)} ms`);

  // The changed listener: one without Client CA (i % 3 !== 0), toggled on and off.
  const target = ids[1];
  let version = 1;
  const measure = async (full: boolean) => {
    const loadMs: number[] = [];
    const applyMs: number[] = [];
    const totalMs: number[] = [];
    const cpuMs: number[] = [];
    for (let k = 0; k < CHANGES; k++) {
      const saved = await updateListener(console_, target, { clientAuth: { enabled: version % 2 === 1, caCertificateId: cas[1].id } }, version, ACTOR);
      version = saved.version;
      const cpu = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      configs = await loader.load({ full });
      const t1 = process.hrtime.bigint();
      await dataplane.apply(configs as ListenerRuntimeConfig[]);
      const t2 = process.hrtime.bigint();
      loadMs.push(Number(t1 - t0) / 1e6);
      applyMs.push(Number(t2 - t1) / 1e6);
      totalMs.push(Number(t2 - t0) / 1e6);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      const enabled = configs.find((config) => config.id === target)?.tls?.clientAuth.enabled;
      if (enabled !== (version % 2 === 0)) throw new Error(`change ${k}: the node did not pick it up`);
    }
    return { loadMs, applyMs, totalMs, cpuMs };
  };
  const before = await measure(true);
  const after = await measure(false);
  line(`[${dialect}] before (full load every change), ${CHANGES} changes: load ${p(before.loadMs)}; apply ${p(before.applyMs)}; node work ${p(before.totalMs)} (CPU of this process ${p(before.cpuMs)})`);
  line(`[${dialect}] after (incremental load + identity skip), ${CHANGES} changes: load ${p(after.loadMs)}; apply ${p(after.applyMs)}; node work ${p(after.totalMs)} (CPU of this process ${p(after.cpuMs)}; goal ≤ ${GOAL_MS} ms)`);
  line(`[${dialect}] RATIO after/before node work: p50 ${(percentile(after.totalMs, 50) / percentile(before.totalMs, 50)).toFixed(3)}, p99 ${(percentile(after.totalMs, 99) / percentile(before.totalMs, 99)).toFixed(3)}`);
  await dataplane.close();
  await console_.dataplane.close();
}

async function main(): Promise<void> {
  line(`reload of one change among ${LISTENERS} listeners, in one process on ${os.cpus().length} cores (shared with other work: figures are noisy)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-reload-bench-"));
  const certs = Array.from({ length: SERVER_CERTS }, (_, i) => {
    const sub = path.join(dir, `set-${i}`);
    fs.mkdirSync(sub);
    return makeBenchCerts(sub, "ecdsa");
  });
  try {
    const sqliteDir = path.join(dir, "sqlite");
    const sqlite = await openStore({ databaseUrl: null, dataDir: sqliteDir });
    try {
      await run("sqlite", sqlite, sqliteDir, certs);
    } finally {
      await sqlite.close();
    }
    const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    if (url) {
      const schema = `bench_reload_${crypto.randomBytes(4).toString("hex")}`;
      const pgDir = path.join(dir, "postgres");
      const store = await openStore({ databaseUrl: url, dataDir: pgDir, schema });
      try {
        await run("postgres", store, pgDir, certs);
      } finally {
        await store.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    } else {
      line("postgres: skipped (set TEST_DATABASE_URL to include it)");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark("reload", main, 20 * 60_000);
