// Paths to the openssl-made test certificates (scripts/make-test-certs.sh).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const TEST_CERT_DIR = path.resolve(__dirname, ".generated");

/** Runs the openssl script once per checkout; later calls are free. */
export function ensureTestCerts(): string {
  if (!fs.existsSync(path.join(TEST_CERT_DIR, ".done"))) {
    execFileSync("bash", [path.resolve(__dirname, "../scripts/make-test-certs.sh"), TEST_CERT_DIR], { stdio: "inherit" });
  }
  return TEST_CERT_DIR;
}

/** Reads a generated file, e.g. testCert("client.pem"). */
export function testCert(name: string): Buffer {
  return fs.readFileSync(path.join(ensureTestCerts(), name));
}

/** A generated PEM file (certificate or key) as text. */
export function testCertText(name: string): string {
  return testCert(name).toString("utf8");
}

export function testCertPath(name: string): string {
  return path.join(ensureTestCerts(), name);
}
