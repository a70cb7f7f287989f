// The data plane alone with many HTTPS listeners: createDataplane + one apply() of N configurations
// (Client CA on, the same server certificate and CA for each), in a process of its own so its RSS
// is this alone. Run by bench/dataplane.bench.ts (d) pinned to the server core; prints one JSON line
// { applyMs, rssBeforeMiB, rssAfterMiB } once every listener serves.
// Setup via CERTGATE_BENCH_MANY: { certs: BenchCerts, ports: number[] }.
import fs from "node:fs";
import { createDataplane } from "../../lib/dataplane";
import type { ListenerRuntimeConfig } from "../../lib/dataplane/types";
import type { BenchCerts } from "./pki";

const setup = JSON.parse(process.env.CERTGATE_BENCH_MANY ?? "") as { certs: BenchCerts; ports: number[] };
const read = (file: string) => fs.readFileSync(file, "utf8");
const rssMiB = () => process.memoryUsage.rss() / 1024 / 1024;

async function main(): Promise<void> {
  const certificateChainPem = read(setup.certs.serverPem);
  const privateKeyPem = read(setup.certs.serverKey);
  const caPem = read(setup.certs.caPem);
  const configs: ListenerRuntimeConfig[] = setup.ports.map((port, i) => ({
    id: `listener-${i}`,
    name: `https-${i}`,
    protocol: "HTTPS",
    host: "127.0.0.1",
    port,
    tls: {
      certificateChainPem,
      privateKeyPem,
      clientAuth: { enabled: true, caCertificatesPem: [caPem], pinnedCertificatesDer: [] },
    },
  }));
  const rssBefore = rssMiB();
  const started = process.hrtime.bigint();
  const dataplane = createDataplane();
  await dataplane.apply(configs);
  const applyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const failed = configs.filter((config) => dataplane.status(config.id).state !== "serving");
  if (failed.length > 0) throw new Error(`${failed.length} listeners not serving: ${dataplane.status(failed[0].id).error}`);
  // Keeps serving (the bench probes every port, then kills this process).
  console.log(JSON.stringify({ applyMs, rssBeforeMiB: rssBefore, rssAfterMiB: rssMiB() }));
}

main().catch((error: unknown) => {
  console.error(`many-listeners data plane failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
