// Paths to the openssl-made test certificates (scripts/make-test-certs.sh).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const TEST_CERT_DIR = path.resolve(__dirname, ".generated");
const SCRIPT = path.resolve(__dirname, "../scripts/make-test-certs.sh");

/** Runs the openssl script once per checkout; later calls are free. */
export function ensureTestCerts(): string {
  if (!fs.existsSync(path.join(TEST_CERT_DIR, ".done"))) {
    execFileSync("bash", [SCRIPT, TEST_CERT_DIR], { stdio: "inherit" });
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

/**
 * The directory with the files of one marked section of the script (`# >>> name` … `# <<< name`),
 * which touches `marker` when done. A directory generated before that section existed gets only the
 * section run in it, so keys other suites already use stay as they are.
 */
export function ensureCertSection(section: string, marker: string): string {
  const dir = ensureTestCerts();
  if (!fs.existsSync(path.join(dir, marker))) {
    const script = fs.readFileSync(SCRIPT, "utf8");
    const body = new RegExp(`^# >>> ${section} [\\s\\S]*^# <<< ${section} .*$`, "m").exec(script)?.[0];
    if (!body) throw new Error(`${SCRIPT} has no ${section} section`);
    execFileSync("bash", ["-euo", "pipefail", "-c", body], { cwd: dir, stdio: "inherit" });
  }
  return dir;
}

/** A file of the "identity" section: certificates API users bind, e.g. identityCert("identity-client-1.pem"). */
export function identityCert(name: string): Buffer {
  return fs.readFileSync(path.join(ensureCertSection("identity", "identity-done"), name));
}

/** A file of the "crl" section: CRLs made by `openssl ca -gencrl`, e.g. crlFile("crl-root-1.pem"). */
export function crlFile(name: string): Buffer {
  return fs.readFileSync(path.join(ensureCertSection("crl", "crl-done"), name));
}
