// Full mTLS handshakes per second of the stand-alone data plane (compiled dist/dataplane.js, the
// way `npm run dataplane` runs it) with 1 and with 2 workers, against Debian's nginx with
// worker_processes 1 and 2: same certificates (ECDSA P-256), `ssl_verify_client on` / Client CA
// required, the same clients (`openssl s_time -new`, pinned to the client core). The servers are not
// pinned (2 workers need both cores), so the clients share a core with a server worker — the same
// for both servers. Also prints idle RSS of the primary and of each worker, and compares
// cluster.SCHED_NONE (workers accept on the shared socket) with SCHED_RR (the primary hands over
// every connection). Runs alternate (certgate, nginx, certgate, …) and medians are printed.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { uploadCertificate } from "../lib/services/certificates";
import { createListener } from "../lib/services/listeners";
import { createLoadBalancer } from "../lib/services/load-balancers";
import { startRuntime } from "../lib/services/runtime";
import { localSettings } from "../test/settings";
import { handshakeLoad, probe, readCredentials } from "./support/clients";
import { Nginx } from "./support/nginx";
import { makeBenchCerts, type BenchCerts } from "./support/pki";
import { atExit, childPids, cpuSeconds, rssMiB, run, runBenchmark, sleep, waitFor } from "./support/proc";

const ROOT = path.resolve(__dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const PARALLEL = 8;

interface Server {
  name: string;
  port: number;
  pids(): number[];
  stop(): Promise<void>;
}

async function seedStore(dataDir: string, certs: BenchCerts, port: number): Promise<void> {
  const rt = await startRuntime(localSettings(dataDir, { embeddedDataplane: false }));
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const actor = { name: "bench" };
  const lb = await createLoadBalancer(rt, { name: "bench" }, actor);
  const ca = await uploadCertificate(rt, { name: "ca", kind: "ca", certificate: read(certs.caPem) }, actor);
  const server = await uploadCertificate(rt, { name: "server", kind: "server", certificate: read(certs.serverPem), privateKey: read(certs.serverKey) }, actor);
  await createListener(rt, lb.id, { name: "bench", protocol: "HTTPS", port, certificateId: server.id, clientAuth: { enabled: true, caCertificateId: ca.id } }, actor);
  await rt.dataplane.close();
  await rt.store.close();
}

async function startCertgate(dataDir: string, port: number, workers: number, scheduling: "none" | "rr", certs: BenchCerts): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "dist", "dataplane.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CERTGATE_SECRET: "test-secret",
      DATABASE_URL: "",
      CERTGATE_DATAPLANE_WORKERS: String(workers),
      CERTGATE_METRICS_PORT: "0",
      NODE_CLUSTER_SCHED_POLICY: scheduling,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  atExit(() => child.kill("SIGKILL"));
  await waitFor(`certgate to serve (${output})`, () => output.includes("serving 1 listener"), 30_000, 50);
  const ok = await probe(port, readCredentials(certs, true));
  if (ok.outcome !== 200) throw new Error(`certgate does not complete an mTLS handshake: ${JSON.stringify(ok)}`);
  return {
    name: "certgate",
    port,
    pids: () => [child.pid!, ...childPids(child.pid!)],
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
    },
  };
}

async function startNginx(dir: string, port: number, workers: number, certs: BenchCerts): Promise<Server> {
  const nginx = new Nginx(dir, null, workers);
  nginx.write([{ port, certs, verifyClient: true }]);
  await nginx.start();
  return { name: "nginx", port, pids: () => nginx.pids(), stop: () => nginx.stop() };
}

/** Handshakes per wall second and per server CPU-second. */
async function measure(server: Server, certs: BenchCerts): Promise<{ rate: number; perCore: number }> {
  const pids = server.pids();
  const cpuBefore = cpuSeconds(pids);
  const result = await handshakeLoad(server.port, certs, SECONDS, PARALLEL);
  const cpu = cpuSeconds(pids) - cpuBefore;
  return { rate: result.connections / result.wallSeconds, perCore: result.connections / Math.max(cpu, 1e-9) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value: number) => value.toFixed(0);

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-workers-bench-"));
  atExit(() => fs.rmSync(tmp, { recursive: true, force: true }));
  console.log(`workers bench: ${os.availableParallelism()} cores (shared with whatever else runs: figures are noisy), ${ROUNDS} rounds × ${SECONDS} s, ${PARALLEL} × openssl s_time -new`);
  const build = await run(process.execPath, [path.join(ROOT, "scripts", "build-server.mjs")], 120_000);
  if (build.code !== 0) throw new Error(`build failed: ${build.stderr}`);
  const certs = makeBenchCerts(tmp, "ecdsa");
  const port = Number(process.env.BENCH_PORT || 21601);
  const dataDir = path.join(tmp, "data");
  fs.mkdirSync(dataDir);
  await seedStore(dataDir, certs, port);

  const figures: Record<string, { rate: number; perCore: number }> = {};
  for (const workers of [1, 2]) {
    const rates: Record<string, number[]> = { certgate: [], nginx: [] };
    const perCore: Record<string, number[]> = { certgate: [], nginx: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const which of ["certgate", "nginx"] as const) {
        const server = which === "certgate" ? await startCertgate(dataDir, port, workers, "none", certs) : await startNginx(path.join(tmp, `nginx-${workers}`), port, workers, certs);
        try {
          if (which === "certgate" && round === 0) {
            await sleep(1_000);
            const [primary, ...children] = server.pids();
            console.log(`certgate ${workers} worker(s) idle RSS: primary ${rssMiB([primary]).toFixed(1)} MiB, workers ${children.map((pid) => `${rssMiB([pid]).toFixed(1)} MiB`).join(", ")}`);
          }
          const result = await measure(server, certs);
          rates[which].push(result.rate);
          perCore[which].push(result.perCore);
        } finally {
          await server.stop();
        }
      }
    }
    for (const which of ["certgate", "nginx"]) figures[`${which}-${workers}`] = { rate: median(rates[which]), perCore: median(perCore[which]) };
    const c = figures[`certgate-${workers}`];
    const n = figures[`nginx-${workers}`];
    console.log(`${workers} worker(s) median handshakes/s: certgate ${fixed(c.rate)} (rounds ${rates.certgate.map(fixed).join(", ")}), nginx ${fixed(n.rate)} (rounds ${rates.nginx.map(fixed).join(", ")}); per server CPU-second: certgate ${fixed(c.perCore)}, nginx ${fixed(n.perCore)}`);
    console.log(`${workers} worker(s) RATIO certgate/nginx: ${(c.rate / n.rate).toFixed(2)} by rate, ${(c.perCore / n.perCore).toFixed(2)} per server CPU-second`);
  }
  console.log(
    `scaling 1 -> 2 workers: certgate ×${(figures["certgate-2"].rate / figures["certgate-1"].rate).toFixed(2)}, nginx ×${(figures["nginx-2"].rate / figures["nginx-1"].rate).toFixed(2)}`,
  );

  // Scheduling policy: 2 workers, SCHED_NONE (the default here) against SCHED_RR.
  const policy: Record<string, number[]> = { none: [], rr: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const scheduling of ["none", "rr"] as const) {
      const server = await startCertgate(dataDir, port, 2, scheduling, certs);
      try {
        policy[scheduling].push((await measure(server, certs)).rate);
      } finally {
        await server.stop();
      }
    }
  }
  console.log(
    `2 workers, scheduling policy median handshakes/s: SCHED_NONE ${fixed(median(policy.none))} (rounds ${policy.none.map(fixed).join(", ")}), SCHED_RR ${fixed(median(policy.rr))} (rounds ${policy.rr.map(fixed).join(", ")}); RATIO none/rr ${(median(policy.none) / median(policy.rr)).toFixed(2)}`,
  );
}

runBenchmark("workers bench", main, 15 * 60_000);
