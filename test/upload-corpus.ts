// The upload corpus: files made by the "upload-corpus" section of scripts/make-test-certs.sh.
// Node only (no Playwright), so the benchmark can use it too.
import fs from "node:fs";
import path from "node:path";
import { ensureCertSection } from "./certs";

/** The directory holding the upload-* files (run alone in a directory generated before the section existed). */
export function uploadCorpusDir(): string {
  return ensureCertSection("upload-corpus", "upload-done");
}

export function corpusFile(name: string): string {
  return path.join(uploadCorpusDir(), name);
}

export function readCorpus(name: string): Buffer {
  return fs.readFileSync(corpusFile(name));
}
