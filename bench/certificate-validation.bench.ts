// Server-side time to validate one certificate upload (lib/pki's validateUpload: decode, parse,
// policy, and for servers the private key), per kind, and a 100-certificate CA bundle.
// Inputs are the openssl-made upload corpus (scripts/make-test-certs.sh). Plain lines out:
//   npx tsx bench/certificate-validation.bench.ts        (CERT_BENCH_SECONDS per case, default 2)
import os from "node:os";
import { performance } from "node:perf_hooks";
import { validateUpload, type UploadInput } from "../lib/pki";
import { readCorpus } from "../test/upload-corpus";

const SECONDS_PER_CASE = Number(process.env.CERT_BENCH_SECONDS ?? 2);
const MIN_ITERATIONS = 50;
const MAX_ITERATIONS = 20_000;
const WARM_UP = 20;

interface Case {
  title: string;
  input: UploadInput;
  certificates: number;
}

const text = (file: string) => readCorpus(file).toString("utf8");

const cases: Case[] = [
  { title: "ca, PEM, EC P-256", input: { kind: "ca", certificate: text("upload-ca.pem") }, certificates: 1 },
  { title: "ca, DER file, EC P-256", input: { kind: "ca", certificate: readCorpus("upload-ca.der") }, certificates: 1 },
  { title: "client, PEM, EC P-256", input: { kind: "client", certificate: text("upload-client.pem") }, certificates: 1 },
  {
    title: "server, PEM + PKCS#8 key, EC P-256",
    input: { kind: "server", certificate: text("upload-server.pem"), privateKey: text("upload-server.key") },
    certificates: 1,
  },
  {
    title: "server, PEM + PKCS#1 key, RSA 2048",
    input: { kind: "server", certificate: text("pki-rsa-server.pem"), privateKey: text("pki-rsa-server.pkcs1.key") },
    certificates: 1,
  },
  {
    title: "server, chain of 2 + encrypted key (PBKDF2)",
    input: { kind: "server", certificate: text("upload-server-chain.pem"), privateKey: text("upload-server.enc.key"), passphrase: "upload passphrase" },
    certificates: 2,
  },
  { title: "ca bundle of 100, PEM, EC P-256", input: { kind: "ca", certificate: text("upload-ca-bundle-100.pem") }, certificates: 100 },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function validateOnce(c: Case): void {
  const result = validateUpload(c.input);
  // A benchmark of a refusal would measure the wrong path: stop if the corpus no longer passes.
  if (!result.ok) throw new Error(`${c.title}: refused (${result.problem.message})`);
  if (result.value.certificates.length !== c.certificates) throw new Error(`${c.title}: ${result.value.certificates.length} certificates, expected ${c.certificates}`);
}

function measure(c: Case) {
  for (let i = 0; i < WARM_UP; i++) validateOnce(c);
  const samples: number[] = [];
  const deadline = performance.now() + SECONDS_PER_CASE * 1000;
  while (samples.length < MAX_ITERATIONS && (samples.length < MIN_ITERATIONS || performance.now() < deadline)) {
    const started = performance.now();
    validateOnce(c);
    samples.push(performance.now() - started);
  }
  const sorted = samples.sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { n: sorted.length, mean, p50: percentile(sorted, 50), p99: percentile(sorted, 99), opsPerSecond: 1000 / mean };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;

// The load average says how far other work on the machine may have inflated the figures.
const load = os.loadavg().map((v) => v.toFixed(2)).join(" ");
console.log(`certificate validation (lib/pki validateUpload), node ${process.version}, ${os.cpus().length} CPUs, load ${load}, ${SECONDS_PER_CASE} s per case`);
for (const c of cases) {
  const r = measure(c);
  const perCertificate = c.certificates > 1 ? `  per certificate=${ms(r.mean / c.certificates)}` : "";
  console.log(
    `${c.title.padEnd(46)} n=${String(r.n).padStart(5)}  mean=${ms(r.mean)}  p50=${ms(r.p50)}  p99=${ms(r.p99)}  ops/s=${r.opsPerSecond.toFixed(0)}${perCertificate}`,
  );
}
