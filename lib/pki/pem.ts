// PEM (RFC 7468) reading and writing. Every block is returned with its label: @peculiar/x509 reads
// only the first block and ignores its label, which would let a key or a CSR slip through.
import { reject } from "./problems";
import type { PkiField } from "./types";

export interface PemBlock {
  label: string;
  /** RFC 1421 headers such as Proc-Type and DEK-Info (legacy encrypted keys). */
  headers: Record<string, string>;
  der: Buffer;
}

// A boundary counts only at the start of the text or after whitespace, so commented-out markers
// ("#-----BEGIN ...") in surrounding prose are text, while one-line pastes still work.
const BOUNDARY = /-----(BEGIN|END) ([^\r\n-]{0,64})-----/g; // real labels are short
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function hasPemBoundary(text: string): boolean {
  return boundaries(text).some((b) => b.kind === "BEGIN");
}

function boundaries(text: string) {
  return [...text.matchAll(BOUNDARY)]
    .filter((m) => m.index === 0 || /\s/.test(text[m.index - 1]))
    .map((m) => ({ kind: m[1] as "BEGIN" | "END", label: m[2].trim(), start: m.index, end: m.index + m[0].length }));
}

/** All PEM blocks of `text`, in order; text between blocks is ignored. */
export function parsePemBlocks(text: string, field: PkiField): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { label: string; bodyStart: number } | null = null;
  for (const b of boundaries(text)) {
    if (b.kind === "BEGIN") {
      if (open) reject(field, "malformed", `The PEM block '${open.label}' has no END line before the next BEGIN line; fix the file so every block ends with '-----END ${open.label}-----'.`);
      open = { label: b.label, bodyStart: b.end };
    } else if (open) {
      if (b.label !== open.label) reject(field, "malformed", `The PEM block '${open.label}' ends with an END line for '${b.label}'; fix the file so the BEGIN and END labels match.`);
      blocks.push(readBody(open.label, text.slice(open.bodyStart, b.start), field));
      open = null;
    }
    // An END with no BEGIN is stray text, like anything else outside a block.
  }
  if (open) reject(field, "truncated", `The PEM block '${open.label}' has no END line, so the file looks cut off; upload the complete file.`);
  return blocks;
}

function readBody(label: string, body: string, field: PkiField): PemBlock {
  const lines = body.split(/\r\n|\r|\n/).map((line) => line.trim());
  while (lines.length && lines[0] === "") lines.shift();
  const headers: Record<string, string> = {};
  if (lines.length && lines[0].includes(":")) {
    while (lines.length && lines[0] !== "") {
      const [name, ...value] = lines.shift()!.split(":");
      headers[name.trim()] = value.join(":").trim();
    }
  }
  const base64 = lines.join("").replace(/\s+/g, "");
  if (!base64) reject(field, "malformed", `The PEM block '${label}' is empty; upload a file whose block holds the base64 text between its BEGIN and END lines.`);
  if (!BASE64.test(base64) || base64.length % 4 === 1) {
    reject(field, "malformed", `The PEM block '${label}' is not valid base64; upload the file unchanged, as the issuing tool wrote it.`);
  }
  return { label, headers, der: Buffer.from(base64, "base64") };
}

/** Canonical PEM: 64-column base64, LF line ends; headers kept for legacy encrypted keys. */
export function pemEncode(der: Uint8Array, label: string, headers: Record<string, string> = {}): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  const headerLines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`).join("");
  return `-----BEGIN ${label}-----\n${headerLines}${headerLines ? "\n" : ""}${base64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`;
}

export function toPem(der: Uint8Array): string {
  return pemEncode(der, "CERTIFICATE");
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/**
 * The CERTIFICATE blocks of a PEM text, each as PEM text of its own; anything else is skipped.
 * For PEM that was already checked (the store holds only what parsePemBlocks accepted, written by
 * toPem): it splits, it does not validate. Untrusted input goes through parsePemBlocks.
 */
export function splitPemCertificates(pem: string): string[] {
  return pem.match(CERTIFICATE_BLOCK) ?? [];
}
