// certgate's endpoint against Debian's nginx (one worker, `ssl_verify_client on`, the same
// certificates, TLS 1.2 + 1.3), side by side in one run on this machine, with a bare Node HTTPS
// server beside them for (a) and (b) to tell Node's own cost from certgate's:
//   (a) full mTLS handshakes per second, a new connection each time (openssl s_time -new), ECDSA P-256
//       and RSA-2048, with the server's CPU per handshake from /proc and the ratio per server core;
//   (b) keep-alive requests per second over established mTLS connections (ab -k -E);
//   (c) time from a save's answer (the real updateListener) to enforcement on new connections,
//       p50/p99 over 100 changes, beside nginx's `-s reload`;
//   (d) 200 HTTPS listeners at once: start time and memory, of the data plane alone (createDataplane +
//       apply) and of the stand-alone process as shipped (node dist/dataplane.js on a store holding them).
// The server is pinned to one core and every client (and this process) to the other; the two servers
// take turns within each measurement; all load is bounded and on 127.0.0.1; nginx runs from a temp
// dir as a child process and is killed at the end, whatever happens.
// Knobs: BENCH_SECONDS (per run, 5), BENCH_ROUNDS (3), BENCH_PARTS (a,b,c,d).
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { uploadCertificate } from "../lib/services/certificates";
import { createListener } from "../lib/services/listeners";
import { createLoadBalancer } from "../lib/services/load-balancers";
import { startRuntime } from "../lib/services/runtime";
import type { CertgateServerSetup, ClientMessage, ServerMessage } from "./support/certgate-server";
import { handshakeLoad, keepAliveLoad, probe, readCredentials, type Probe } from "./support/clients";
import { Nginx } from "./support/nginx";
import { makeBenchCerts, type BenchCerts, type KeyType } from "./support/pki";
import { CLIENT_CORE, cpuSeconds, killAll, pinSelf, rssMiB, SERVER_CORE, sleep, spawnPinned, waitFor, runBenchmark, run } from "./support/proc";
import { localSettings } from "../test/settings";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds per measurement; the median is reported, as other work on this machine comes and goes. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Parallel s_time clients: enough to keep a server core busy while the client core computes its side. */
const HANDSHAKE_CLIENTS = 4;
const KEEPALIVE_CONNECTIONS = 16;
const CHANGES = 100;
/** BENCH_PARTS=a,b runs only those parts (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? "a,b,c,d").split(","));
const MANY_LISTENERS = 200;
const ROOT = path.resolve(__dirname, "..");
/** A run that has not finished by then is broken: end it (and every child) rather than hang. */
const WATCHDOG_MS = 15 * 60_000;

const line = (text: string) => console.log(text);
const fixed = (value: number, digits = 0) => value.toFixed(digits);
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const handedOut = new Set<number>();

/** A port free right now and not handed out before in this run (the OS may offer one twice). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port: chosen } = server.address() as net.AddressInfo;
        server.close(() => resolve(chosen));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Busy jiffies per core from /proc/stat, to tell how much else ran on the cores during a run. */
function coreBusySeconds(): number[] {
  return fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")
    .filter((row) => /^cpu\d/.test(row))
    .map((row) => {
      const [user, nice, system, , , irq, softirq, steal] = row.split(/\s+/).slice(1).map(Number);
      return (user + nice + system + irq + softirq + steal) / 100;
    });
}

/** Measures `work` with the server's CPU and what else kept the server core busy. */
async function measured<T>(server: Server, work: () => Promise<T>): Promise<{ result: T; cpu: number; wall: number; othersOnServerCore: number }> {
  const [cpuBefore, coresBefore, started] = [cpuSeconds(server.pids()), coreBusySeconds(), process.hrtime.bigint()];
  const result = await work();
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuSeconds(server.pids()) - cpuBefore;
  const serverCoreBusy = coreBusySeconds()[SERVER_CORE] - coresBefore[SERVER_CORE];
  return { result, cpu, wall, othersOnServerCore: Math.max(0, (serverCoreBusy - cpu) / wall) };
}

interface Server {
  name: "certgate" | "nginx" | "bare node";
  pids(): number[];
  ports: Record<KeyType, number>;
}

/** A bare Node HTTPS server (bench/support/bare-node-server.ts): how much of the gap is Node's own. */
class BareNodeServer implements Server {
  readonly name = "bare node";
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Record<KeyType, number>,
  ) {}

  static async start(certs: Record<KeyType, BenchCerts>): Promise<BareNodeServer> {
    const ports = { ecdsa: await freePort(), rsa: await freePort() };
    const listeners = (["ecdsa", "rsa"] as const).map((type) => ({ port: ports[type], type, serverPem: certs[type].serverPem, serverKey: certs[type].serverKey, caPem: certs[type].caPem }));
    const child = spawnPinned(SERVER_CORE, process.execPath, ["--import", "tsx", path.join(ROOT, "bench/support/bare-node-server.ts")], {
      cwd: ROOT,
      env: { ...process.env, CERTGATE_BENCH_BARE: JSON.stringify({ listeners }) },
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    await waitFor("the bare Node server", () => output.includes("ready"), 30_000);
    return new BareNodeServer(child, ports);
  }

  pids(): number[] {
    return this.child.pid ? [this.child.pid] : [];
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** certgate's server process, driven over IPC. */
class CertgateServer implements Server {
  readonly name = "certgate";
  private waiting: ((message: ServerMessage) => void) | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Record<KeyType | "toggle", number>,
  ) {
    child.on("message", (message: ServerMessage) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.(message);
    });
  }

  static async start(setup: CertgateServerSetup): Promise<CertgateServer> {
    const child = spawnPinned(SERVER_CORE, process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench/support/certgate-server.ts")], {
      cwd: ROOT,
      env: { ...process.env, CERTGATE_BENCH_SETUP: JSON.stringify(setup) },
      // stdout carries the data plane's log lines: not wanted here, and never a bottleneck when ignored.
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const server = new CertgateServer(child, setup.ports);
    const ready = await server.next(60_000);
    if (ready.type !== "ready") throw new Error("certgate bench server did not start");
    return server;
  }

  pids(): number[] {
    return this.child.pid ? [this.child.pid] : [];
  }

  private next(timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("certgate bench server did not answer")), timeoutMs);
      this.waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  async toggle(enabled: boolean): Promise<{ callNs: bigint; answeredAtNs: bigint }> {
    const answer = this.next();
    this.child.send({ type: "toggle", enabled } satisfies ClientMessage);
    const message = await answer;
    if (message.type !== "toggled") throw new Error("unexpected answer from the certgate bench server");
    return { callNs: BigInt(message.callNs), answeredAtNs: BigInt(message.answeredAtNs) };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" } satisfies ClientMessage);
    await Promise.race([exited, sleep(5_000)]);
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

class NginxServer implements Server {
  readonly name = "nginx";
  constructor(
    readonly nginx: Nginx,
    readonly ports: Record<KeyType | "toggle", number>,
    private readonly certs: Record<KeyType, BenchCerts>,
  ) {}

  configure(toggleVerify: boolean): void {
    this.nginx.write([
      { port: this.ports.ecdsa, certs: this.certs.ecdsa, verifyClient: true },
      { port: this.ports.rsa, certs: this.certs.rsa, verifyClient: true },
      { port: this.ports.toggle, certs: this.certs.ecdsa, verifyClient: toggleVerify },
    ]);
  }

  pids(): number[] {
    return this.nginx.pids();
  }
}

/** Runs `measure` against each server in turn, alternating which goes first, ROUNDS times. */
async function alternate<T>(servers: Server[], measure: (server: Server) => Promise<T>): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(servers.map((server) => [server.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      await sleep(300); // let the previous run's connections drain
      results.get(server.name)!.push(await measure(server));
    }
  }
  return results;
}

const median = (values: number[]) => percentile(values, 50);

async function sanityCheck(servers: Server[], certs: Record<KeyType, BenchCerts>): Promise<void> {
  for (const server of servers) {
    for (const type of ["ecdsa", "rsa"] as const) {
      const ok = await probe(server.ports[type], readCredentials(certs[type], true));
      const refused = await probe(server.ports[type], readCredentials(certs[type], false));
      // nginx answers a client without a certificate with a 400 page; certgate refuses in the TLS layer.
      if (ok.outcome !== 200 || !ok.body.includes(`bench ${type} client`) || refused.outcome === 200) {
        throw new Error(`${server.name} ${type}: expected 200 with the client certificate and a refusal without (got ${ok.outcome}, ${refused.outcome})`);
      }
    }
  }
}

async function handshakes(servers: Server[], certs: Record<KeyType, BenchCerts>): Promise<void> {
  line(`(a) full mTLS handshakes, a new connection each time: ${HANDSHAKE_CLIENTS} × openssl s_time -new for ${SECONDS} s, ${ROUNDS} rounds, servers alternating`);
  for (const type of ["ecdsa", "rsa"] as const) {
    const label = type === "ecdsa" ? "ECDSA P-256" : "RSA-2048";
    const runs = await alternate(servers, async (server) => {
      const { result: run, cpu, othersOnServerCore } = await measured(server, () => handshakeLoad(server.ports[type], certs[type], SECONDS, HANDSHAKE_CLIENTS));
      const rate = run.connections / run.wallSeconds;
      const perCore = cpu > 0 ? run.connections / cpu : 0;
      line(
        `(a) ${label} ${server.name}: ${fixed(rate)} handshakes/s (${run.connections} in ${fixed(run.wallSeconds, 2)} s), server CPU ${fixed((100 * cpu) / run.wallSeconds)}% of its core, ` +
          `${fixed((1e6 * cpu) / run.connections)} µs CPU/handshake, ${fixed(perCore)} handshakes per server core-second; other processes on the server core ${fixed(100 * othersOnServerCore)}%`,
      );
      return { rate, perCore };
    });
    summarize(`(a) ${label}`, "handshakes", runs, 0.9);
  }
}

async function keepAlive(servers: Server[], certs: Record<KeyType, BenchCerts>): Promise<void> {
  line(`(b) keep-alive requests over established mTLS connections (ECDSA P-256): ab -k -c ${KEEPALIVE_CONNECTIONS} -E for ${SECONDS} s, ${ROUNDS} rounds`);
  const runs = await alternate(servers, async (server) => {
    const { result: run, cpu, othersOnServerCore } = await measured(server, () => keepAliveLoad(server.ports.ecdsa, certs.ecdsa, SECONDS, KEEPALIVE_CONNECTIONS));
    const perCore = cpu > 0 ? run.complete / cpu : 0;
    line(
      `(b) ${server.name}: ${fixed(run.requestsPerSecond)} requests/s (${run.complete} complete, ${run.failed} failed, ${run.non2xx} non-2xx), server CPU ${fixed((100 * cpu) / SECONDS)}% of its core, ` +
        `${fixed((1e6 * cpu) / Math.max(1, run.complete), 1)} µs CPU/request, ${fixed(perCore)} requests per server core-second; other processes on the server core ${fixed(100 * othersOnServerCore)}%`,
    );
    return { rate: run.requestsPerSecond, perCore };
  });
  summarize("(b)", "requests", runs, 0.6);
}

/** Median of the rounds per server, and the ratios certgate/nginx (the goal) and certgate/bare node. */
function summarize(label: string, unit: string, runs: Map<string, { rate: number; perCore: number }[]>, goal: number): void {
  const rate = (name: string) => median(runs.get(name)!.map((r) => r.rate));
  const perCore = (name: string) => median(runs.get(name)!.map((r) => r.perCore));
  line(
    `${label} median ${unit}/s: certgate ${fixed(rate("certgate"))}, nginx ${fixed(rate("nginx"))}, bare node ${fixed(rate("bare node"))}; ` +
      `per server core-second: certgate ${fixed(perCore("certgate"))}, nginx ${fixed(perCore("nginx"))}, bare node ${fixed(perCore("bare node"))}`,
  );
  line(
    `${label} RATIO certgate/nginx: ${ratio(rate("certgate"), rate("nginx"))} by rate, ${ratio(perCore("certgate"), perCore("nginx"))} per server core (goal ≥ ${goal}); ` +
      `bare node/nginx ${ratio(perCore("bare node"), perCore("nginx"))} per server core; certgate/bare node ${ratio(perCore("certgate"), perCore("bare node"))} per server core`,
  );
}

/** Probes new connections (without a client certificate) until one shows the expected rule. */
async function firstEnforcing(port: number, ca: string, enabled: boolean, sinceNs: bigint): Promise<{ enforcing: Probe; staleAfter: number }> {
  let staleAfter = 0;
  const deadline = Date.now() + 5_000;
  for (;;) {
    const result = await probe(port, { ca });
    // Refused: certgate closes the connection, nginx answers 400.
    const enforced = enabled ? result.outcome !== 200 : result.outcome === 200;
    if (enforced) return { enforcing: result, staleAfter };
    if (result.startNs >= sinceNs) staleAfter += 1;
    if (Date.now() > deadline) throw new Error(`port ${port}: the change was not in force after 5 s`);
  }
}

async function propagation(certgate: CertgateServer, nginx: NginxServer, certs: Record<KeyType, BenchCerts>): Promise<void> {
  line(`(c) a change (Client CA on/off) to enforcement on new connections, ${CHANGES} changes each; probes: new connections without a client certificate, one after another`);
  const ca = readCredentials(certs.ecdsa, false).ca;
  const ms = (ns: bigint) => Number(ns) / 1e6;

  const saveMs: number[] = [];
  const probeMs: number[] = [];
  const answerToEnforcedMs: number[] = [];
  const callToEnforcedMs: number[] = [];
  let stale = 0;
  for (let i = 0; i < CHANGES; i++) {
    const enabled = i % 2 === 0;
    const { callNs, answeredAtNs } = await certgate.toggle(enabled);
    const { enforcing, staleAfter } = await firstEnforcing(certgate.ports.toggle, ca, enabled, answeredAtNs);
    stale += staleAfter;
    saveMs.push(ms(callNs));
    // When the change is in force before the answer, the first connection opened after the answer
    // is already judged by it: this is then just the time to open that connection (IPC + scheduling).
    answerToEnforcedMs.push(Math.max(0, ms(enforcing.startNs - answeredAtNs)));
    probeMs.push(ms(enforcing.endNs - enforcing.startNs));
    callToEnforcedMs.push(ms(enforcing.endNs - (answeredAtNs - callNs)));
  }
  const p = (values: number[]) => `p50 ${fixed(percentile(values, 50), 1)} ms, p99 ${fixed(percentile(values, 99), 1)} ms`;
  line(`(c) certgate updateListener, save → answer (store transaction + apply to the endpoint): ${p(saveMs)}`);
  line(
    `(c) certgate answer → enforced (the first new connection opened after the answer is judged by the new rule): ${p(answerToEnforcedMs)} (goal p99 ≤ 20 ms); ` +
      `new connections opened after the answer under the old rule: ${stale} of ${CHANGES} changes`,
  );
  line(`(c) certgate save call → first new connection under the new rule completed (incl. that probe's handshake + GET, ${p(probeMs)}): ${p(callToEnforcedMs)}`);

  const reloadMs: number[] = [];
  const reloadToEnforcedMs: number[] = [];
  let nginxStale = 0;
  for (let i = 0; i < CHANGES; i++) {
    const enabled = i % 2 === 0;
    nginx.configure(enabled);
    const start = process.hrtime.bigint();
    let returnedNs = 0n;
    const reloaded = nginx.nginx.reload().then(() => (returnedNs = process.hrtime.bigint()));
    const { enforcing } = await firstEnforcing(nginx.ports.toggle, ca, enabled, start);
    await reloaded;
    // Connections opened after `nginx -s reload` returned, still served by the old configuration.
    nginxStale += (await firstEnforcing(nginx.ports.toggle, ca, enabled, returnedNs)).staleAfter;
    reloadMs.push(ms(returnedNs - start));
    reloadToEnforcedMs.push(ms(enforcing.endNs - start));
    await sleep(20); // old workers finish shutting down
  }
  line(`(c) nginx -s reload, command start → return: ${p(reloadMs)}`);
  line(
    `(c) nginx reload start → first new connection under the new rule completed: ${p(reloadToEnforcedMs)}; ` +
      `new connections opened after the reload command returned still under the old rule: ${nginxStale} in ${CHANGES} changes`,
  );
}

/** Waits until every port accepts TCP, then completes a real mTLS request on the first and last. */
async function allServing(ports: number[], certs: BenchCerts): Promise<void> {
  for (const port of ports) {
    await waitFor(`port ${port}`, () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    60_000, 2);
  }
  for (const port of [ports[0], ports[ports.length - 1]]) {
    const result = await probe(port, readCredentials(certs, true));
    if (result.outcome !== 200) throw new Error(`port ${port}: expected 200, got ${result.outcome}`);
  }
}

/** bench/support/many-listeners-dataplane.ts pinned to the server core: its apply time and RSS. */
async function dataplaneAlone(certs: BenchCerts, ports: number[]): Promise<{ applyMs: number; rssBeforeMiB: number; rssAfterMiB: number }> {
  const child = spawnPinned(SERVER_CORE, process.execPath, ["--import", "tsx", path.join(ROOT, "bench/support/many-listeners-dataplane.ts")], {
    cwd: ROOT,
    env: { ...process.env, CERTGATE_BENCH_MANY: JSON.stringify({ certs, ports }) },
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  try {
    await waitFor("the data plane alone to serve", () => output.includes("applyMs") || child.exitCode !== null, 60_000);
    if (!output.includes("applyMs")) throw new Error(`the data plane alone failed: ${output}`);
    await allServing(ports, certs);
    return JSON.parse(output.slice(output.indexOf("{"), output.indexOf("}") + 1));
  } finally {
    child.kill("SIGKILL");
  }
}

async function manyListeners(dir: string, certs: BenchCerts): Promise<void> {
  line(`(d) ${MANY_LISTENERS} HTTPS listeners with Client CA (ECDSA P-256), one process each`);
  // The store, prepared through the services by a console that runs no endpoints of its own.
  const dataDir = path.join(dir, "many");
  const emptyDir = path.join(dir, "empty");
  const console_ = await startRuntime(localSettings(dataDir, { embeddedDataplane: false }));
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const ca = await uploadCertificate(console_, { name: "ca", kind: "ca", certificate: read(certs.caPem) }, { name: "bench" });
  const server = await uploadCertificate(console_, { name: "server", kind: "server", certificate: read(certs.serverPem), privateKey: read(certs.serverKey) }, { name: "bench" });
  const lb = await createLoadBalancer(console_, { name: "many" }, { name: "bench" });
  const certgatePorts: number[] = [];
  for (let i = 0; i < MANY_LISTENERS; i++) {
    const port = await freePort();
    certgatePorts.push(port);
    await createListener(console_, lb.id, { name: `https-${i}`, protocol: "HTTPS", port, certificateId: server.id, clientAuth: { enabled: true, caCertificateId: ca.id } }, { name: "bench" });
  }
  await console_.dataplane.close();
  await console_.store.close();

  // The data plane alone (no store): createDataplane + one apply() of the same 200 configurations.
  const alonePorts: number[] = [];
  for (let i = 0; i < MANY_LISTENERS; i++) alonePorts.push(await freePort());
  const alone = await dataplaneAlone(certs, alonePorts);
  line(
    `(d) certgate data plane alone (createDataplane + apply of ${MANY_LISTENERS} configurations, under tsx): all serving in ${fixed(alone.applyMs)} ms, ` +
      `RSS ${fixed(alone.rssBeforeMiB, 1)} → ${fixed(alone.rssAfterMiB, 1)} MiB (${fixed((1024 * (alone.rssAfterMiB - alone.rssBeforeMiB)) / MANY_LISTENERS)} KiB per listener)`,
  );

  // The stand-alone process as shipped: compiled JavaScript (scripts/build-server.mjs), no tsx.
  await run(process.execPath, [path.join(ROOT, "scripts/build-server.mjs")]);
  const standalone = async (storeDir: string, ports: number[]) => {
    let output = "";
    const started = process.hrtime.bigint();
    const child = spawnPinned(SERVER_CORE, process.execPath, [path.join(ROOT, "dist/dataplane.js")], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: storeDir, CERTGATE_SECRET: localSettings(storeDir).secret ?? "", DATAPLANE_HOST: "127.0.0.1" },
    });
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    await waitFor("npm run dataplane to serve", () => output.includes("serving "), 60_000);
    if (ports.length > 0) await allServing(ports, certs).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the data plane said:\n${output}`);
    });
    const startMs = Number(process.hrtime.bigint() - started) / 1e6;
    await sleep(500); // settle: the first report and log batch are written
    const rss = rssMiB([child.pid!]);
    const applied = /applied in (\d+) ms/.exec(output)?.[1] ?? "?";
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
    return { startMs, rss, applied };
  };
  const idle = await standalone(emptyDir, []);
  const many = await standalone(dataDir, certgatePorts);
  line(
    `(d) certgate (node dist/dataplane.js): process start → all ${MANY_LISTENERS} serving ${fixed(many.startMs)} ms (of which loading + applying the listeners ${many.applied} ms; an empty store starts in ${fixed(idle.startMs)} ms), ` +
      `RSS ${fixed(many.rss, 1)} MiB (${fixed(idle.rss, 1)} MiB with no listener: ${fixed((1024 * (many.rss - idle.rss)) / MANY_LISTENERS)} KiB per listener)`,
  );

  const nginxPorts: number[] = [];
  for (let i = 0; i < MANY_LISTENERS; i++) nginxPorts.push(await freePort());
  const nginx = new Nginx(path.join(dir, "nginx-many"));
  nginx.write(nginxPorts.map((port) => ({ port, certs, verifyClient: true })));
  const started = process.hrtime.bigint();
  await nginx.start();
  await allServing(nginxPorts, certs);
  const nginxStartMs = Number(process.hrtime.bigint() - started) / 1e6;
  await sleep(500);
  const nginxRss = rssMiB(nginx.pids());
  await nginx.stop();
  line(`(d) nginx: process start → all ${MANY_LISTENERS} serving ${fixed(nginxStartMs)} ms, RSS ${fixed(nginxRss, 1)} MiB (master + 1 worker)`);
}

async function main(): Promise<void> {
  if (os.cpus().length < 2) throw new Error("needs two cores: one for the server, one for the clients");
  await pinSelf(CLIENT_CORE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-"));
  line(`dataplane benchmark: Node ${process.version}, ${os.cpus()[0].model} × ${os.cpus().length}; server on core ${SERVER_CORE}, clients on core ${CLIENT_CORE}; work dir ${dir}`);
  let certgate: CertgateServer | null = null;
  let nginx: NginxServer | null = null;
  let bare: BareNodeServer | null = null;
  try {
    const certs = { ecdsa: makeBenchCerts(dir, "ecdsa"), rsa: makeBenchCerts(dir, "rsa") };
    const ports = async () => ({ ecdsa: await freePort(), rsa: await freePort(), toggle: await freePort() });
    certgate = await CertgateServer.start({ dataDir: path.join(dir, "certgate"), certs, ports: await ports() });
    nginx = new NginxServer(new Nginx(path.join(dir, "nginx")), await ports(), certs);
    nginx.configure(false);
    await nginx.nginx.start();
    bare = await BareNodeServer.start(certs);
    const servers: Server[] = [certgate, nginx, bare];
    await sanityCheck(servers, certs);

    if (PARTS.has("a")) await handshakes(servers, certs);
    if (PARTS.has("b")) await keepAlive(servers, certs);
    bare.stop();
    if (PARTS.has("c")) await propagation(certgate, nginx, certs);
    await certgate.stop();
    await nginx.nginx.stop();
    if (PARTS.has("d")) await manyListeners(dir, certs.ecdsa);
  } finally {
    await certgate?.stop();
    await nginx?.nginx.stop();
    bare?.stop();
    killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark("dataplane benchmark", main, WATCHDOG_MS);
