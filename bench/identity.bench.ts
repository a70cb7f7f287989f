// What identity costs (issue "Identity and access"): sign-in latency, dominated on purpose by scrypt,
// and what the per-request credential check adds to an API call.
//   1. The built console (`npm run build` first) on a fresh data directory: 100 sign-ins with the
//      right password (POST /api/v1/session), p50/p99; and 500 GET /api/v1/me with an API token over
//      a kept-alive connection, p50/p99 — a whole API call, check included.
//   2. In this process, over a real SQLite file: authenticate() alone for a session cookie, an API
//      token and a bound client certificate, 5,000 times each, p50/p99 — the check's own cost.
// Prints each figure and the check's share of a whole call.
//
//   npx tsx --conditions=react-server bench/identity.bench.ts     (or: npm run bench -- identity)
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { authenticate, type Credentials } from "../lib/auth/authenticate";
import { createApiToken } from "../lib/services/api-tokens";
import { startRuntime } from "../lib/services/runtime";
import { signIn } from "../lib/services/sessions";
import { bindUserCertificate } from "../lib/services/user-certificates";
import { createUser, updateUser } from "../lib/services/users";
import { atExit } from "./support/proc";
import { localSettings } from "../test/settings";

const ROOT = path.resolve(__dirname, "..");
const CONSOLE_PORT = 3593;
const PASSWORD = "bench-admin-password";
const SIGN_INS = 100;
const CALLS = 500;
const CHECKS = 5_000;

const line = (text: string) => console.log(text);
const ms = (ns: bigint) => Number(ns) / 1e6;

function quantiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

const fmt = (value: number, unit: "ms" | "µs") => (unit === "ms" ? `${value.toFixed(1)} ms` : `${(value * 1000).toFixed(0)} µs`);

async function startConsole(dataDir: string): Promise<void> {
  const child = spawn(process.execPath, ["dist/console.js"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(CONSOLE_PORT), HOST: "127.0.0.1", DATA_DIR: dataDir, CERTGATE_DEMO: "0", CERTGATE_ADMIN_PASSWORD: PASSWORD, CERTGATE_API_MTLS_PORT: "0" },
  });
  atExit(() => child.kill("SIGKILL"));
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the console did not start:\n${output}`);
    const status = await fetch(`http://127.0.0.1:${CONSOLE_PORT}/sign-in`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function request(agent: http.Agent, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: CONSOLE_PORT, method, path: pathname, agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

async function overHttp(): Promise<{ call: { p50: number; p99: number } }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-identity-"));
  atExit(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  await startConsole(dataDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const json = { "content-type": "application/json" };
  const credentials = JSON.stringify({ username: "admin", password: PASSWORD });

  const signIns: number[] = [];
  let cookie = "";
  for (let i = 0; i < SIGN_INS; i++) {
    const started = process.hrtime.bigint();
    const answer = await request(agent, "POST", "/api/v1/session", json, credentials);
    signIns.push(ms(process.hrtime.bigint() - started));
    if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}: ${answer.body}`);
    cookie = String(answer.headers["set-cookie"]).split(";")[0];
  }
  const signIn = quantiles(signIns);
  line(`sign-in (POST /api/v1/session, right password, ${SIGN_INS}×): p50 ${fmt(signIn.p50, "ms")}, p99 ${fmt(signIn.p99, "ms")}`);

  const made = await request(agent, "POST", "/api/v1/tokens", { ...json, cookie }, JSON.stringify({ name: "bench", expiresInDays: 1 }));
  const token = JSON.parse(made.body).token as string;
  const calls: number[] = [];
  for (let i = 0; i < CALLS + 50; i++) {
    const started = process.hrtime.bigint();
    const answer = await request(agent, "GET", "/api/v1/me", { authorization: `Bearer ${token}` });
    if (i >= 50) calls.push(ms(process.hrtime.bigint() - started)); // the first 50 warm up
    if (answer.status !== 200) throw new Error(`GET /api/v1/me answered ${answer.status}`);
  }
  const call = quantiles(calls);
  line(`whole API call (GET /api/v1/me with a token, keep-alive, ${CALLS}×): p50 ${fmt(call.p50, "ms")}, p99 ${fmt(call.p99, "ms")}`);
  return { call };
}

async function inProcess(): Promise<Record<string, { p50: number; p99: number }>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-bench-identity-rt-"));
  atExit(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  process.env.CERTGATE_ADMIN_PASSWORD = PASSWORD;
  const rt = await startRuntime(
    localSettings(dataDir, { dataplaneProcess: "in-process" }),
  );
  const session = await signIn(rt, { username: "admin", password: PASSWORD }, "127.0.0.1");
  const admin = await authenticate(rt, { clientCertificate: null, authorization: null, sessionCookie: session.cookieValue });
  const user = await createUser(rt, admin, { username: "ci-bot", password: "bench-bot-password", role: "operator" });
  await updateUser(rt, admin, user.id, { clientCertificateAuth: true });
  // A self-signed clientAuth certificate, as the README tells an API user to make one.
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", "/CN=ci-bot",
    "-addext", "extendedKeyUsage=clientAuth", "-keyout", path.join(dataDir, "bot.key"), "-out", path.join(dataDir, "bot.crt")], { stdio: "ignore" });
  const pem = fs.readFileSync(path.join(dataDir, "bot.crt"), "utf8");
  await bindUserCertificate(rt, admin, user.id, pem);
  const fingerprint = new crypto.X509Certificate(pem).fingerprint256.replace(/:/g, "").toLowerCase();
  const token = (await createApiToken(rt, admin, { name: "bench", expiresInDays: 1 })).token;

  const kinds: Record<string, Credentials> = {
    session: { clientCertificate: null, authorization: null, sessionCookie: session.cookieValue },
    token: { clientCertificate: null, authorization: `Bearer ${token}`, sessionCookie: null },
    certificate: { clientCertificate: `sha256=${fingerprint}`, authorization: null, sessionCookie: null },
  };
  const results: Record<string, { p50: number; p99: number }> = {};
  for (const [kind, credentials] of Object.entries(kinds)) {
    const times: number[] = [];
    for (let i = 0; i < CHECKS; i++) {
      const started = process.hrtime.bigint();
      await authenticate(rt, credentials);
      times.push(ms(process.hrtime.bigint() - started));
    }
    results[kind] = quantiles(times.slice(500));
    line(`authenticate() by ${kind} (SQLite, ${CHECKS}×): p50 ${fmt(results[kind].p50, "µs")}, p99 ${fmt(results[kind].p99, "µs")}`);
  }
  await rt.dataplane.close();
  await rt.store.close();
  return results;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "dist", "console.js"))) throw new Error("run `npm run build` first: this benchmark starts dist/console.js");
  const { call } = await overHttp();
  const checks = await inProcess();
  const share = (checks.token.p50 / call.p50) * 100;
  line(`the per-request check (token) is ${fmt(checks.token.p50, "µs")} of a ${fmt(call.p50, "ms")} API call at p50: ${share.toFixed(1)} %`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
