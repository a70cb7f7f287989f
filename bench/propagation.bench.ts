// Save → enforced on every node, with 2 consoles and 2 data-plane nodes on one PostgreSQL (issue
// "Many nodes, many cores"; goal p99 ≤ 100 ms). Starts the built console twice
// (CERTGATE_EMBEDDED_DATAPLANE=0, `npm run build` first) and `dist/dataplane.js` twice (bound to
// 127.0.0.2 and 127.0.0.3), all on a fresh schema of one database; then renames one HTTP listener
// many times, alternately through each console's API, and for each change measures:
//   - answer: the PATCH round trip (the console answers once every live node has applied it);
//   - enforced: from sending the PATCH until BOTH nodes' echo names the new name (probed every ~1 ms,
//     independently of what the console says);
//   - late: changes whose answer came before a node enforced them (must be 0).
//
//   npx tsx bench/propagation.bench.ts            (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
//   BENCH_CHANGES=300 BENCH_WORKERS=2 npx tsx bench/propagation.bench.ts
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { atExit, runBenchmark, sleep, waitFor } from "./support/proc";

const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const CHANGES = Number(process.env.BENCH_CHANGES || 200);
const WORKERS = process.env.BENCH_WORKERS || "1";
const CONSOLE_PORTS = [3611, 3612];
const NODES = [
  { id: "bench-node-a", host: "127.0.0.2" },
  { id: "bench-node-b", host: "127.0.0.3" },
];
const LISTENER_PORT = 18611;
const ADMIN_PASSWORD = "bench-admin-password";
const line = (text: string) => console.log(text);

function startProcess(label: string, file: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  atExit(() => child.kill("SIGKILL"));
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  child.once("exit", (code) => {
    if (code !== 0 && code !== null) console.error(`${label} exited with ${code}:\n${output}`);
  });
  return { child, output: () => output };
}

/** GET / on a node's endpoint; the echo names the listener it served with. */
function echoedName(host: string): Promise<string | null> {
  return new Promise((resolve) => {
    let body = "";
    const socket = net.connect(LISTENER_PORT, host, () => socket.write("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"));
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (body += chunk));
    socket.on("error", () => resolve(null));
    socket.on("close", () => {
      const json = body.slice(body.indexOf("\r\n\r\n") + 4);
      try {
        resolve((JSON.parse(json) as { listener: { name: string } }).listener.name);
      } catch {
        resolve(null);
      }
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  for (const file of ["dist/console.js", "dist/dataplane.js", ".next/BUILD_ID"]) {
    if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-propagation-"));
  const common = { DATABASE_URL: url.toString(), DATA_DIR: dataDir, CERTGATE_SECRET: "bench-propagation-secret", CERTGATE_DEMO: "0", NEXT_TELEMETRY_DISABLED: "1" };

  try {
    for (const port of CONSOLE_PORTS) {
      startProcess(`console :${port}`, "dist/console.js", {
        ...common,
        PORT: String(port),
        HOST: "127.0.0.1",
        CERTGATE_EMBEDDED_DATAPLANE: "0",
        CERTGATE_API_MTLS_PORT: "0",
        CERTGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      });
      await waitFor(`the console on ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/sign-in`).catch(() => null))?.ok === true, 60_000, 200);
    }
    const nodes = NODES.map((node) =>
      startProcess(node.id, "dist/dataplane.js", { ...common, DATAPLANE_HOST: node.host, CERTGATE_NODE_ID: node.id, CERTGATE_DATAPLANE_WORKERS: WORKERS, CERTGATE_METRICS_PORT: "0" }),
    );

    const signIn = await fetch(`http://127.0.0.1:${CONSOLE_PORTS[0]}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
    if (!signIn.ok || !cookie) throw new Error(`could not sign in: ${signIn.status}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's shapes are checked by its own tests
    const api = async (consolePort: number, method: string, pathname: string, body?: unknown): Promise<any> => {
      const response = await fetch(`http://127.0.0.1:${consolePort}${pathname}`, {
        method,
        headers: { cookie, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    };

    const lb = await api(CONSOLE_PORTS[0], "POST", "/api/v1/load-balancers", { name: "bench" });
    const listener = await api(CONSOLE_PORTS[0], "POST", `/api/v1/load-balancers/${lb.id}/listeners`, { name: "r0", protocol: "HTTP", port: LISTENER_PORT });
    await waitFor("both nodes serving", async () => (await Promise.all(NODES.map((n) => echoedName(n.host)))).every((name) => name === "r0"), 30_000, 50);
    const list = await api(CONSOLE_PORTS[1], "GET", "/api/v1/dataplane-nodes");
    line(`2 consoles (:${CONSOLE_PORTS.join(", :")}), ${list.items.filter((n: { state: string }) => n.state === "up").length} nodes up (${NODES.map((n) => `${n.id} on ${n.host}`).join(", ")}), ${WORKERS} worker(s) each, PostgreSQL schema ${schema}`);

    const answers: number[] = [];
    const enforced: number[] = [];
    let late = 0;
    for (let i = 1; i <= CHANGES; i++) {
      const name = `r${i}`;
      const consolePort = CONSOLE_PORTS[i % 2];
      const started = performance.now();
      let seenEverywhere = 0;
      // Probe both nodes from the moment the PATCH leaves until both serve the new name.
      const probing = (async () => {
        const pending = new Set(NODES.map((n) => n.host));
        while (pending.size > 0 && performance.now() - started < 10_000) {
          for (const host of [...pending]) if ((await echoedName(host)) === name) pending.delete(host);
          if (pending.size > 0) await sleep(1);
        }
        seenEverywhere = performance.now() - started;
      })();
      await api(consolePort, "PATCH", `/api/v1/listeners/${listener.id}`, { name });
      const answered = performance.now() - started;
      const now = await Promise.all(NODES.map((n) => echoedName(n.host)));
      if (now.some((seen) => seen !== name)) late++;
      await probing;
      answers.push(answered);
      enforced.push(seenEverywhere);
    }
    answers.sort((a, b) => a - b);
    enforced.sort((a, b) => a - b);
    const fmt = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${values.at(-1)!.toFixed(1)} ms`;
    line(`${CHANGES} changes, alternating between the two consoles`);
    line(`save answered (in force on every live node): ${fmt(answers)}`);
    line(`save sent → enforced on both nodes (probed): ${fmt(enforced)}`);
    line(`answered before a node enforced it: ${late} of ${CHANGES}`);
    line(`goal p99 ≤ 100 ms: ${percentile(enforced, 99) <= 100 && percentile(answers, 99) <= 100 ? "met" : "NOT met"}`);
    for (const node of nodes) node.child.kill("SIGTERM");
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

runBenchmark("propagation", main, 10 * 60_000);
