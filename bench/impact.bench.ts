// The impact preview's time (issue 13, "Report the preview's time for a listener with 10,000 log
// records and 500 distinct clients"): a listener with Client CA off whose connection log holds 10,000
// records from 500 distinct client certificates (400 issued by the CA about to be trusted, 50 by
// another CA, 50 expired) and connections without a certificate; then POST …/impact for "enable Client
// CA with that CA" through the use case the route calls, timed end to end (the store's grouped query,
// reading the kept certificates, building the policy, judging every client).
// Cold = the first preview in the process; warm = the following ones (each preview still judges every
// client afresh: the cache of parsed certificates lives for one preview).
// SQLite file always; PostgreSQL too when TEST_DATABASE_URL (or DATABASE_URL) is set.
// Knobs: BENCH_RECORDS (10000), BENCH_CLIENTS (500), BENCH_RUNS (30).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createLocalCa, issueLeaf } from "../lib/pki/local-ca";
import { uploadCertificate } from "../lib/services/certificates";
import { previewListenerImpact } from "../lib/services/impact-preview";
import { createListener } from "../lib/services/listeners";
import { createLoadBalancer } from "../lib/services/load-balancers";
import { startRuntime } from "../lib/services/runtime";
import { appendConnectionEvents, type ConnectionEventRow, type PresentedCertificateRow } from "../lib/store/connections-repo";
import { openStore, type Store } from "../lib/store/database";
import { localSettings } from "../test/settings";
import { runBenchmark } from "./support/proc";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ACTOR = { name: "bench" };
const DAY_MS = 86_400_000;

const line = (text: string) => console.log(text);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

interface Client {
  pem: string;
  der: Buffer;
  fingerprint: string;
  subject: string;
  issuer: string;
}

/** 500 client certificates: most from the CA, some from another CA, some expired. */
async function makeClients(ca: { certificatePem: string; privateKeyPem: string }): Promise<Client[]> {
  const other = await createLocalCa("Bench Other CA");
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const issuer = i % 10 === 8 ? other : ca;
    const now = i % 10 === 9 ? new Date(Date.now() - 3 * 365 * DAY_MS) : undefined; // 825 days of validity: expired
    const leaf = await issueLeaf(issuer, { subject: `CN=bench-client-${i},O=Bench`, purpose: "clientAuth", now });
    const cert = new crypto.X509Certificate(leaf.certificatePem);
    clients.push({ pem: leaf.certificatePem, der: cert.raw, fingerprint: crypto.createHash("sha256").update(cert.raw).digest("hex"), subject: `CN=bench-client-${i},O=Bench`, issuer: issuer === ca ? "CN=Bench CA" : "CN=Bench Other CA" });
  }
  return clients;
}

async function run(dialect: string, store: Store, dataDir: string, ca: { certificatePem: string; privateKeyPem: string }, server: { certificatePem: string; privateKeyPem: string }, clients: Client[]): Promise<void> {
  const rt = await startRuntime(localSettings(dataDir, { embeddedDataplane: false }), { store });
  try {
    const caRecord = await uploadCertificate(rt, { name: "bench-ca", kind: "ca", certificate: ca.certificatePem }, ACTOR);
    const serverRecord = await uploadCertificate(rt, { name: "bench-server", kind: "server", certificate: server.certificatePem, privateKey: server.privateKeyPem }, ACTOR);
    const lb = await createLoadBalancer(rt, { name: "impact" }, ACTOR);
    const listener = await createListener(rt, lb.id, { name: "https", protocol: "HTTPS", port: 24443, certificateId: serverRecord.id }, ACTOR);

    // 10,000 records over the last 23 hours: every client several times, one in 20 without a certificate.
    const rows: ConnectionEventRow[] = [];
    const now = Date.now();
    for (let i = 0, seen = 0; i < RECORDS; i++) {
      const client = i % 20 === 19 ? null : clients[seen++ % clients.length];
      rows.push({
        listener_id: listener.id,
        at: new Date(now - 23 * 3_600_000 + Math.floor((i * 23 * 3_600_000) / RECORDS)).toISOString(),
        remote_address: "127.0.0.1",
        outcome: "accepted",
        reason: "ok",
        tls_protocol: "TLSv1.3",
        client_subject: client?.subject ?? null,
        client_issuer: client?.issuer ?? null,
        client_fingerprint_sha256: client?.fingerprint ?? null,
      });
    }
    const certificates: PresentedCertificateRow[] = clients.map((client) => ({ fingerprintSha256: client.fingerprint, der: client.der, chain: [] }));
    await appendConnectionEvents(store.db, rows, undefined, { certificates });

    const body = { clientAuth: { enabled: true, caCertificateId: caRecord.id } };
    let start = process.hrtime.bigint();
    const first = await previewListenerImpact(rt, listener.id, body, {});
    const cold = since(start);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      start = process.hrtime.bigint();
      await previewListenerImpact(rt, listener.id, body, {});
      times.push(since(start));
    }
    line(
      `${dialect}: ${RECORDS} records, ${first.clientsSeen} clients seen → ${first.wouldBeRefused.length} would be refused, ${first.wouldBeAccepted} accepted, ${first.unassessed} unassessed`,
    );
    line(`${dialect}: preview cold ${cold.toFixed(1)} ms; warm p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (${RUNS} runs)`);
    line(`${dialect}: per distinct client (warm p50): ${((percentile(times, 50) * 1000) / first.clientsSeen).toFixed(0)} µs`);
  } finally {
    await rt.dataplane.close();
  }
}

async function main(): Promise<void> {
  const ca = await createLocalCa("Bench CA");
  const server = await issueLeaf(ca, { subject: "CN=localhost", purpose: "serverAuth" });
  let start = process.hrtime.bigint();
  const clients = await makeClients(ca);
  line(`made ${clients.length} client certificates in ${since(start).toFixed(0)} ms`);

  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-impact-"));
  try {
    const sqlite = await openStore({ databaseUrl: null, dataDir: sqliteDir });
    start = process.hrtime.bigint();
    await run("sqlite", sqlite, sqliteDir, ca, server, clients);
    await sqlite.close();
  } finally {
    fs.rmSync(sqliteDir, { recursive: true, force: true });
  }

  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) {
    const schema = `bench_impact_${crypto.randomBytes(4).toString("hex")}`;
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-impact-pg-"));
    const store = await openStore({ databaseUrl: url, dataDir: pgDir, schema });
    try {
      await run("postgres", store, pgDir, ca, server, clients);
    } finally {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  } else {
    line("postgres: skipped (set TEST_DATABASE_URL to include it)");
  }
}

runBenchmark("impact", main, 10 * 60_000);
