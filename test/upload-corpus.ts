// The upload corpus: files made by the "upload-corpus" section of scripts/make-test-certs.sh.
// Node only (no Playwright), so the benchmark can use it too.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureTestCerts } from "./certs";

const SCRIPT = path.resolve(__dirname, "..", "scripts", "make-test-certs.sh");

/**
 * The directory holding the upload-* files. A directory generated before that section existed
 * gets only the section run in it, so keys other suites already uploaded stay as they are.
 */
export function uploadCorpusDir(): string {
  const dir = ensureTestCerts();
  if (!fs.existsSync(path.join(dir, "upload-done"))) {
    const script = fs.readFileSync(SCRIPT, "utf8");
    const section = /^# >>> upload-corpus[\s\S]*^# <<< upload-corpus.*$/m.exec(script)?.[0];
    if (!section) throw new Error(`${SCRIPT} has no upload-corpus section`);
    execFileSync("bash", ["-euo", "pipefail", "-c", section], { cwd: dir, stdio: "inherit" });
  }
  return dir;
}

export function corpusFile(name: string): string {
  return path.join(uploadCorpusDir(), name);
}

export function readCorpus(name: string): Buffer {
  return fs.readFileSync(corpusFile(name));
}
