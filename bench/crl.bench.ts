// Revocation at scale (issue 11): full mTLS handshakes per second against one certgate listener with
// a 100,000-entry CRL of its Client CA in force, against the same listener with none, side by side
// in one run (goal: ratio ≥ 0.95); plus the time to upload that CRL through the API's route handler
// (read, validate, store, parse in the data plane, in force when it answers) and its parts.
// The server (the real runtime, bench/support/crl-server.ts) is pinned to one core, every client
// (openssl s_time -new) and this process to the other; the two states take turns in each round.
// Knobs: BENCH_SECONDS (per run, 5), BENCH_ROUNDS (3), BENCH_CRL_ENTRIES (100000).
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { X509Certificate, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RevokedSerials, validateCrl } from "../lib/pki/crl";
import { buildCrl } from "../test/crl-builder";
import { handshakeLoad, probe, readCredentials } from "./support/clients";
import type { CrlClientMessage, CrlServerMessage, CrlServerSetup } from "./support/crl-server";
import { freePort } from "../test/ports";
import { makeBenchCerts, type BenchCerts } from "./support/pki";
import { CLIENT_CORE, cpuSeconds, killAll, pinSelf, SERVER_CORE, sleep, spawnPinned, runBenchmark } from "./support/proc";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ENTRIES = Number(process.env.BENCH_CRL_ENTRIES ?? 100_000);
const HANDSHAKE_CLIENTS = 4;
const ROOT = path.resolve(__dirname, "..");
const WATCHDOG_MS = 10 * 60_000;
const ADMIN_PASSWORD = "bench-admin-password-1";

const line = (text: string) => console.log(text);
const fixed = (value: number, digits = 0) => value.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];


/** A second client of the bench CA, listed in the CRL: proves the CRL is in force when it is. */
function revokedClient(dir: string, certs: BenchCerts): { pem: string; key: string } {
  const at = (name: string) => path.join(dir, `revoked-client.${name}`);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", at("key"));
  openssl("req", "-new", "-key", at("key"), "-subj", "/O=certgate bench/CN=bench revoked client", "-out", at("csr"));
  fs.writeFileSync(at("ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
  openssl("x509", "-req", "-in", at("csr"), "-CA", certs.caPem, "-CAkey", certs.caPem.replace(/ca\.pem$/, "ca.key"), "-CAcreateserial", "-extfile", at("ext"), "-days", "30", "-sha256", "-out", at("pem"));
  return { pem: at("pem"), key: at("key") };
}

/** ENTRIES serials of 16 random bytes (as CAs issue them), the revoked client's among them. */
function makeCrl(certs: BenchCerts, revokedSerial: bigint): Buffer {
  const serials = Array.from({ length: ENTRIES - 1 }, () => BigInt(`0x${randomBytes(16).toString("hex")}`) | 1n);
  serials.splice(Math.floor(ENTRIES / 2), 0, revokedSerial);
  return buildCrl({
    caCertificate: fs.readFileSync(certs.caPem),
    caKey: fs.readFileSync(certs.caPem.replace(/ca\.pem$/, "ca.key")),
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
    serials,
  });
}

class CrlServer {
  private waiting: ((message: CrlServerMessage) => void) | null = null;
  private constructor(private readonly child: ChildProcess) {
    child.on("message", (message: CrlServerMessage) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.(message);
    });
  }

  static async start(setup: CrlServerSetup): Promise<CrlServer> {
    const child = spawnPinned(SERVER_CORE, process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench/support/crl-server.ts")], {
      cwd: ROOT,
      env: { ...process.env, CERTGATE_BENCH_SETUP: JSON.stringify(setup), CERTGATE_ADMIN_PASSWORD: setup.adminPassword },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const server = new CrlServer(child);
    if ((await server.next(60_000)).type !== "ready") throw new Error("certgate CRL bench server did not start");
    return server;
  }

  pids(): number[] {
    return this.child.pid ? [this.child.pid] : [];
  }

  private next(timeoutMs = 60_000): Promise<CrlServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("certgate CRL bench server did not answer")), timeoutMs);
      this.waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  async setCrl(on: boolean): Promise<{ status: number; uploadMs: number; body: string }> {
    const answer = this.next();
    this.child.send({ type: "crl", on } satisfies CrlClientMessage);
    const message = await answer;
    if (message.type !== "crl-set") throw new Error("unexpected answer from the certgate CRL bench server");
    const expected = on ? 201 : 204;
    if (message.status !== expected) throw new Error(`${on ? "upload" : "delete"} answered ${message.status}, not ${expected}: ${message.body}`);
    return message;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" } satisfies CrlClientMessage);
    await Promise.race([exited, sleep(5_000)]);
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

async function expectOutcomes(port: number, certs: BenchCerts, revoked: { pem: string; key: string }, revokedOutcome: number): Promise<void> {
  const ok = await probe(port, readCredentials(certs, true));
  const listed = await probe(port, { ca: fs.readFileSync(certs.caPem, "utf8"), cert: fs.readFileSync(revoked.pem, "utf8"), key: fs.readFileSync(revoked.key, "utf8") });
  if (ok.outcome !== 200 || listed.outcome !== revokedOutcome) {
    throw new Error(`expected the bench client 200 and the listed client ${revokedOutcome}; got ${ok.outcome} and ${listed.outcome}`);
  }
}

async function main(): Promise<void> {
  if (os.cpus().length < 2) throw new Error("needs two cores: one for the server, one for the clients");
  await pinSelf(CLIENT_CORE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-crl-bench-"));
  line(`CRL benchmark: Node ${process.version}, ${os.cpus()[0].model} × ${os.cpus().length}; server on core ${SERVER_CORE}, clients on core ${CLIENT_CORE}; ${ENTRIES} entries`);
  let server: CrlServer | null = null;
  try {
    const certs = makeBenchCerts(dir, "ecdsa");
    const revoked = revokedClient(dir, certs);
    let started = process.hrtime.bigint();
    const crl = makeCrl(certs, BigInt(`0x${new X509Certificate(fs.readFileSync(revoked.pem)).serialNumber}`));
    const crlFile = path.join(dir, "bench.crl");
    fs.writeFileSync(crlFile, crl);
    line(`CRL: ${ENTRIES} entries, ${fixed(crl.length / 1024 / 1024, 2)} MiB DER (built in ${fixed(Number(process.hrtime.bigint() - started) / 1e6)} ms)`);

    // The parts of an upload, in this process: validation (strict parse + signature), the data plane's set.
    started = process.hrtime.bigint();
    const checked = validateCrl({ crl, issuers: [new X509Certificate(fs.readFileSync(certs.caPem)).raw] });
    const validateMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!checked.ok) throw new Error(`the bench CRL is refused: ${checked.problem.message}`);
    started = process.hrtime.bigint();
    const set = RevokedSerials.fromDer(crl);
    const setMs = Number(process.hrtime.bigint() - started) / 1e6;
    const lookups = 1_000_000;
    started = process.hrtime.bigint();
    let hits = 0;
    for (let i = 0; i < lookups; i++) if (set.has(i % 2 ? "0A1B2C3D4E5F" : "7F")) hits += 1;
    const lookupNs = Number(process.hrtime.bigint() - started) / lookups;
    line(`CRL parts: validateCrl (strict parse + ECDSA signature) ${fixed(validateMs)} ms; RevokedSerials.fromDer (the data plane's parse) ${fixed(setMs)} ms; one lookup ${fixed(lookupNs)} ns (${hits} hits)`);

    const port = await freePort();
    server = await CrlServer.start({ dataDir: path.join(dir, "certgate"), certs, port, crlFile, adminPassword: ADMIN_PASSWORD });
    await expectOutcomes(port, certs, revoked, 200);

    const uploads: number[] = [];
    const first = await server.setCrl(true);
    uploads.push(first.uploadMs);
    line(`upload through the API (POST /api/v1/certificates/{id}/crls, JSON base64 ${fixed((crl.length * 4) / 3 / 1024 / 1024, 1)} MiB; read, validate, store, apply; in force when it answers): first ${fixed(first.uploadMs)} ms`);
    await expectOutcomes(port, certs, revoked, 403);

    line(`full mTLS handshakes (ECDSA P-256), a new connection each time: ${HANDSHAKE_CLIENTS} × openssl s_time -new for ${SECONDS} s, ${ROUNDS} rounds, the two states alternating`);
    const rates: Record<"crl" | "none", number[]> = { crl: [], none: [] };
    const perCore: Record<"crl" | "none", number[]> = { crl: [], none: [] };
    let inForce = true;
    for (let round = 0; round < ROUNDS; round++) {
      const order: ("crl" | "none")[] = round % 2 === 0 ? ["crl", "none"] : ["none", "crl"];
      for (const state of order) {
        const want = state === "crl";
        if (want !== inForce) {
          const change = await server.setCrl(want);
          if (want) uploads.push(change.uploadMs);
          inForce = want;
          await expectOutcomes(port, certs, revoked, want ? 403 : 200);
        }
        await sleep(300);
        const cpuBefore = cpuSeconds(server.pids());
        const run = await handshakeLoad(port, certs, SECONDS, HANDSHAKE_CLIENTS);
        const cpu = cpuSeconds(server.pids()) - cpuBefore;
        const rate = run.connections / run.wallSeconds;
        rates[state].push(rate);
        perCore[state].push(cpu > 0 ? run.connections / cpu : 0);
        line(`  round ${round + 1} ${want ? `${ENTRIES}-entry CRL in force` : "no CRL"}: ${fixed(rate)} handshakes/s (${run.connections} in ${fixed(run.wallSeconds, 2)} s), ${fixed((1e6 * cpu) / run.connections)} µs server CPU/handshake`);
      }
    }
    const ratio = median(rates.crl) / median(rates.none);
    const ratioPerCore = median(perCore.crl) / median(perCore.none);
    line(`median handshakes/s: with the CRL ${fixed(median(rates.crl))}, without ${fixed(median(rates.none))}`);
    line(`RATIO with CRL / without: ${ratio.toFixed(3)} by rate, ${ratioPerCore.toFixed(3)} per server core (goal ≥ 0.95)`);
    line(`uploads through the API: ${uploads.map((ms) => fixed(ms)).join(", ")} ms (the first parses the CRL in the data plane; later ones may find it still cached)`);
  } finally {
    await server?.stop();
    killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark("CRL benchmark", main, WATCHDOG_MS);
