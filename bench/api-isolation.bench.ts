// Does API work delay a handshake? (issue "Hardening": the API and the endpoints shared one event
// loop, and four 2 MB JSON bodies nested 1,000,000 deep delayed a valid client's handshake from
// ≤ 37 ms to 2.7 s.) Starts the built console (`npm run build` first) on a fresh data directory,
// turns Client CA on for the demo's HTTPS listener, and measures a valid mTLS client's handshake +
// first response, idle and while 4 clients post those bodies to the API without pause. Prints
// p50/p99 of both and their ratio (goal: p99 under load within 2× of idle).
//
//   npx tsx bench/api-isolation.bench.ts
//   BENCH_CONSOLE="node_modules/.bin/next start" BENCH_ROOT=/path/to/older/checkout npx tsx bench/api-isolation.bench.ts
//     (the same figures for another build, e.g. before the data plane had a process of its own)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { atExit } from "./support/proc";

const ROOT = path.resolve(process.env.BENCH_ROOT || path.join(__dirname, ".."));
const CONSOLE_PORT = 3591;
const HTTPS_PORT = 18591;
/** The console's API client-certificate port, off the default 3443 so a running console is not in the way. */
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES || 300);
const LOADERS = 4;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS || 60_000);

const line = (text: string) => console.log(text);
const ADMIN_PASSWORD = "bench-admin-password";
/** The admin's session cookie, once signed in (every API call needs a signed-in caller). */
let session = "";

async function startConsole(dataDir: string): Promise<void> {
  const [command, ...args] = (process.env.BENCH_CONSOLE || `${process.execPath} dist/console.js`).split(" ");
  const child = spawn(command, [...args, ...(process.env.BENCH_CONSOLE ? ["-H", "127.0.0.1", "-p", String(CONSOLE_PORT)] : [])], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(CONSOLE_PORT), HOST: "127.0.0.1", DATA_DIR: dataDir, CERTGATE_ADMIN_PASSWORD: ADMIN_PASSWORD, CERTGATE_API_MTLS_PORT: "0", CERTGATE_DEMO_HTTPS_PORT: String(HTTPS_PORT), CERTGATE_DEMO_HTTP_PORT: String(HTTPS_PORT + 1) },
  });
  atExit(() => child.kill("SIGKILL"));
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes("demo ready")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the console did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's shapes are checked by its own tests
async function api(method: string, pathname: string, body?: unknown): Promise<any> {
  if (!session && pathname !== "/api/v1/session") {
    const signIn = await fetch(`http://127.0.0.1:${CONSOLE_PORT}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    session = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
    if (!signIn.ok || !session) throw new Error(`could not sign in: ${signIn.status}`);
  }
  const response = await fetch(`http://127.0.0.1:${CONSOLE_PORT}${pathname}`, {
    method,
    headers: { cookie: session, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.status === 204 ? null : response.json();
}

/** One valid client: TCP connect → TLS handshake with its certificate → GET / → first response byte. */
function handshakeAndRequest(demoDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = tls.connect({
      host: "127.0.0.1",
      port: HTTPS_PORT,
      ca: fs.readFileSync(path.join(demoDir, "ca.crt")),
      cert: fs.readFileSync(path.join(demoDir, "client.crt")),
      key: fs.readFileSync(path.join(demoDir, "client.key")),
      servername: "localhost",
    });
    socket.once("secureConnect", () => socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    socket.once("data", (chunk) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      socket.destroy();
      if (!chunk.toString("latin1").startsWith("HTTP/1.1 200")) reject(new Error(`refused: ${chunk.toString("latin1").split("\r\n")[0]}`));
      else resolve(ms);
    });
    socket.once("error", reject);
  });
}

/** HANDSHAKES one after another, or as many as fit in MEASURE_MS (a starved endpoint must not hang the run). */
async function measure(demoDir: string): Promise<{ p50: number; p99: number; max: number; count: number }> {
  const times: number[] = [];
  const until = Date.now() + MEASURE_MS;
  while (times.length < HANDSHAKES && Date.now() < until) times.push(await handshakeAndRequest(demoDir));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1], count: times.length };
}

/** Posts a 2 MB body of 1,000,000 nested arrays to the API as the signed-in admin (so the body is read), again and again, until stopped. */
function hostileLoader(body: Buffer, stop: { stopped: boolean }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve) => {
      const request = http.request(
        { host: "127.0.0.1", port: CONSOLE_PORT, path: "/api/v1/load-balancers", method: "POST", agent, headers: { cookie: session, "content-type": "application/json", "content-length": body.length } },
        (response) => {
          process.stdout.write(`${response.statusCode}\n`);
          response.resume();
          response.once("end", resolve);
        },
      );
      request.once("error", () => resolve());
      request.end(body);
    });
  return (async () => {
    while (!stop.stopped) await once();
    agent.destroy();
  })();
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-isolation-"));
  atExit(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  line(`api-isolation benchmark: Node ${process.version}, ${os.cpus().length} cores; console from ${ROOT} (${process.env.BENCH_CONSOLE || "node dist/console.js"})`);
  await startConsole(dataDir);

  const lbs = await api("GET", "/api/v1/load-balancers");
  const lb = await api("GET", `/api/v1/load-balancers/${lbs.items[0].id}`);
  const https = lb.listeners.find((l: { protocol: string }) => l.protocol === "HTTPS");
  const cas = await api("GET", "/api/v1/certificates?kind=ca");
  const demoCa = cas.items.find((c: { name: string }) => c.name === "demo-ca");
  await api("PATCH", `/api/v1/listeners/${https.id}`, { clientAuth: { enabled: true, caCertificateId: demoCa.id } });
  const demoDir = path.join(dataDir, "demo");

  await measure(demoDir); // warm-up
  const idle = await measure(demoDir);
  line(`idle:       p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms, max ${idle.max.toFixed(1)} ms (${idle.count} handshakes + first response)`);

  // The hostile clients run in a process of their own, so they never delay the measuring client.
  const load = spawn(process.execPath, ["--import", "tsx", __filename, "--load"], { stdio: ["ignore", "pipe", "inherit"] });
  atExit(() => load.kill("SIGKILL"));
  // The loader prints each answer's status code on a line of its own.
  let statuses = "";
  load.stdout!.on("data", (chunk) => (statuses += chunk));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const loaded = await measure(demoDir);
  load.kill("SIGTERM");
  // "close", not "exit": its summary on stdout may arrive after it exited.
  await new Promise((resolve) => load.once("close", resolve));
  const counts = new Map<string, number>();
  for (const status of statuses.split("\n").filter(Boolean)) counts.set(status, (counts.get(status) ?? 0) + 1);
  const answered = [...counts].map(([status, n]) => `${n}× ${status}`).join(", ") || "none answered yet";
  line(`under load: p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms, max ${loaded.max.toFixed(1)} ms (${loaded.count} handshakes; ${LOADERS} clients posting 2 MB bodies nested 1,000,000 deep, API answers: ${answered})`);
  line(`ratio p99 under load / idle: ${(loaded.p99 / idle.p99).toFixed(2)} (goal ≤ 2)`);
}

async function runLoaders(): Promise<void> {
  const body = Buffer.from("[".repeat(1_000_000) + "]".repeat(1_000_000));
  const stop = { stopped: false };
  process.once("SIGTERM", () => (stop.stopped = true));
  await Promise.all(Array.from({ length: LOADERS }, () => hostileLoader(body, stop)));
}

(process.argv.includes("--load") ? runLoaders() : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`api-isolation benchmark failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
