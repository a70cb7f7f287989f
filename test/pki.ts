// Helpers for lib/pki's tests: reading its results, and openssl as the independent reference.
import { execFileSync } from "node:child_process";
import { expect } from "vitest";
import type { PkiProblem, PkiResult } from "../lib/pki/types";

export const PASSPHRASE = "correct horse battery staple"; // as in scripts/make-test-certs.sh

export function problemOf<T>(result: PkiResult<T>): PkiProblem {
  if (result.ok) expect.fail(`expected a problem, got an accepted result`);
  return result.problem;
}

export function valueOf<T>(result: PkiResult<T>): T {
  if (!result.ok) expect.fail(`expected success, got ${result.problem.code}: ${result.problem.message}`);
  return result.value;
}

/** Runs the openssl CLI: the independent reference the tests compare against. */
export function openssl(args: string[], input?: Uint8Array): string {
  return execFileSync("openssl", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] }).trim();
}

/** What `openssl x509` prints about a certificate file, by field. */
export function opensslX509(file: string): { subject: string; issuer: string; serial: string; fingerprint: string; notBefore: Date; notAfter: Date } {
  const flags = ["-nameopt", "RFC2253", "-subject", "-issuer", "-serial", "-fingerprint", "-sha256", "-startdate", "-enddate"];
  // Long serials wrap with a trailing backslash.
  const lines = openssl(["x509", "-in", file, "-noout", ...flags]).replace(/\\\n/g, "").split("\n");
  const field = (prefix: string) => lines.find((l) => l.startsWith(`${prefix}=`))!.slice(prefix.length + 1);
  return {
    subject: field("subject"),
    issuer: field("issuer"),
    serial: field("serial"),
    fingerprint: field("sha256 Fingerprint").replace(/:/g, "").toLowerCase(),
    notBefore: opensslDate(field("notBefore")),
    notAfter: opensslDate(field("notAfter")),
  };
}

/** "Jan  1 00:00:00 0000 GMT": parsed by hand, as Date.parse reads year 0000 as 2000. */
function opensslDate(text: string): Date {
  const [, month, day, hour, minute, second, year] = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d+) GMT$/.exec(text)!;
  const date = new Date(0);
  date.setUTCFullYear(+year, "JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(month) / 3, +day);
  date.setUTCHours(+hour, +minute, +second);
  return date;
}
