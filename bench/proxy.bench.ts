// Forwarding: proxied keep-alive requests per second over mTLS to a local backend, certgate
// against Debian's nginx (`ssl_verify_client on`, `proxy_pass` to an upstream with `keepalive`,
// the same client-certificate and X-Forwarded-* headers set), both pinned to the server core, with
// the same backend (an nginx worker answering 200 on plain HTTP, on the client core) and the same
// load generator (ab -k -E, as bench/dataplane.bench.ts (b)). Also the latency each proxy adds over
// hitting the backend directly: one kept-alive connection, requests one after another, p50/p99.
// Knobs: BENCH_SECONDS (per run, 5), BENCH_ROUNDS (3). Goal: certgate ≥ 0.7 × nginx.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { keepAliveLoad } from "./support/clients";
import { Nginx } from "./support/nginx";
import { freePort } from "../test/ports";
import { makeBenchCerts, type BenchCerts } from "./support/pki";
import { CLIENT_CORE, cpuSeconds, killAll, pinSelf, SERVER_CORE, sleep, spawnPinned, waitFor, runBenchmark } from "./support/proc";
import type { ProxyServerSetup } from "./support/proxy-certgate-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const LATENCY_REQUESTS = 3_000;
const ROOT = path.resolve(__dirname, "..");
const WATCHDOG_MS = 10 * 60_000;
const BODY = "x".repeat(256);

const line = (text: string) => console.log(text);
const fixed = (value: number, digits = 0) => value.toFixed(digits);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (values: number[]) => percentile(values, 50);


function backendConfig(port: number): string {
  return `
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 '${BODY}'; }
  }`;
}

function nginxProxyConfig(port: number, backendPort: number, certs: BenchCerts): string {
  return `
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certs.serverPem};
    ssl_certificate_key ${certs.serverKey};
    ssl_client_certificate ${certs.caPem};
    ssl_verify_client on;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header Forwarded "for=$remote_addr;proto=$scheme;host=$host";
      proxy_set_header X-Client-Cert-Verify $ssl_client_verify;
      proxy_set_header X-Client-Cert-Subject $ssl_client_s_dn;
      proxy_set_header X-Client-Cert-Issuer $ssl_client_i_dn;
      proxy_set_header X-Client-Cert-Serial $ssl_client_serial;
      proxy_set_header X-Client-Cert-Fingerprint-SHA256 $ssl_client_fingerprint;
      proxy_set_header X-Client-Cert-Not-Before $ssl_client_v_start;
      proxy_set_header X-Client-Cert-Not-After $ssl_client_v_end;
      proxy_set_header Client-Cert $ssl_client_escaped_cert;
    }
  }`;
}

/** Sequential kept-alive requests on one connection: each round trip in µs. */
async function latencies(port: number, certs: BenchCerts | null): Promise<number[]> {
  const agent = certs
    ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(certs.caPem), cert: fs.readFileSync(certs.clientPem), key: fs.readFileSync(certs.clientKey) })
    : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const options = { host: "127.0.0.1", port, path: "/", agent };
      const req = (certs ? https : http).get(options, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on("error", reject);
    });
  for (let i = 0; i < 200; i++) await get(); // warm-up (and the one handshake)
  const out: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    const started = process.hrtime.bigint();
    await get();
    out.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  agent.destroy();
  return out;
}

async function main(): Promise<void> {
  await pinSelf(CLIENT_CORE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-proxy-bench-"));
  try {
    const certs = makeBenchCerts(dir, "ecdsa");
    const [backendPort, nginxPort, certgatePort] = [await freePort(), await freePort(), await freePort()];

    const backend = new Nginx(path.join(dir, "backend"), CLIENT_CORE);
    backend.writeHttp(backendConfig(backendPort));
    await backend.start();
    const nginx = new Nginx(path.join(dir, "nginx"));
    nginx.writeHttp(nginxProxyConfig(nginxPort, backendPort, certs));
    await nginx.start();
    const setup: ProxyServerSetup = { port: certgatePort, backendPort, certs };
    const child = spawnPinned(SERVER_CORE, process.execPath, ["--import", "tsx", path.join(ROOT, "bench/support/proxy-certgate-server.ts")], {
      cwd: ROOT,
      env: { ...process.env, CERTGATE_BENCH_PROXY: JSON.stringify(setup) },
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    await waitFor("the certgate proxy server", () => output.includes("ready"), 60_000);

    const servers = [
      { name: "certgate", port: certgatePort, pids: () => (child.pid ? [child.pid] : []) },
      { name: "nginx", port: nginxPort, pids: () => nginx.pids() },
    ];
    line(`proxied keep-alive requests over mTLS (ECDSA P-256) to one local backend (nginx, plain HTTP, ${BODY.length}-byte answer): ab -k -c ${CONNECTIONS} -E for ${SECONDS} s, ${ROUNDS} rounds, proxies alternating, each pinned to core ${SERVER_CORE}`);
    const rates = new Map<string, number[]>(servers.map((server) => [server.name, []]));
    const perCore = new Map<string, number[]>(servers.map((server) => [server.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
        await sleep(300);
        const cpuBefore = cpuSeconds(server.pids());
        const run = await keepAliveLoad(server.port, certs, SECONDS, CONNECTIONS);
        const cpu = cpuSeconds(server.pids()) - cpuBefore;
        if (run.failed > 0 || run.non2xx > 0) throw new Error(`${server.name}: ${run.failed} failed, ${run.non2xx} non-2xx requests`);
        rates.get(server.name)!.push(run.requestsPerSecond);
        perCore.get(server.name)!.push(cpu > 0 ? run.complete / cpu : 0);
        line(`${server.name}: ${fixed(run.requestsPerSecond)} requests/s (${run.complete} complete), ${fixed((1e6 * cpu) / Math.max(1, run.complete), 1)} µs proxy CPU/request`);
      }
    }
    const rate = (name: string) => median(rates.get(name)!);
    const core = (name: string) => median(perCore.get(name)!);
    line(`median requests/s: certgate ${fixed(rate("certgate"))}, nginx ${fixed(rate("nginx"))}; per proxy core-second: certgate ${fixed(core("certgate"))}, nginx ${fixed(core("nginx"))}`);
    line(`RATIO certgate/nginx: ${(rate("certgate") / rate("nginx")).toFixed(2)} by rate, ${(core("certgate") / core("nginx")).toFixed(2)} per proxy core (goal ≥ 0.7)`);

    line(`latency added over hitting the backend directly: ${LATENCY_REQUESTS} sequential requests on one kept-alive connection each`);
    const direct = await latencies(backendPort, null);
    const [d50, d99] = [percentile(direct, 50), percentile(direct, 99)];
    line(`direct (plain HTTP): p50 ${fixed(d50)} µs, p99 ${fixed(d99)} µs`);
    for (const server of servers) {
      const through = await latencies(server.port, certs);
      const [p50, p99] = [percentile(through, 50), percentile(through, 99)];
      line(`${server.name} (mTLS): p50 ${fixed(p50)} µs, p99 ${fixed(p99)} µs; adds p50 ${fixed(p50 - d50)} µs, p99 ${fixed(p99 - d99)} µs`);
    }
    child.kill("SIGKILL");
    await nginx.stop();
    await backend.stop();
  } finally {
    killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark("proxy benchmark", main, WATCHDOG_MS);
