// Certificate input (PEM bundle, DER, or base64 of DER) to decoded certificates, or one problem
// that says what was wrong with the file and what to upload instead.
import { DerError } from "./der";
import { describeCertificateDer } from "./details";
import { asText, base64DecodedLength, base64Payload, identifyOtherDer, type OtherDer } from "./input-format";
import { hasPemBoundary, parsePemBlocks, toPem, type PemBlock } from "./pem";
import { guard, reject, which } from "./problems";
import { MAX_BUNDLE_CERTIFICATES, MAX_CERTIFICATE_BYTES, type DecodedCertificate, type PkiResult } from "./types";

const NEITHER =
  "The file is neither a PEM certificate, DER, nor base64 of DER; upload the certificate file itself (.pem, .crt, .cer or .der).";

export function decodeCertificates(input: Uint8Array | string): PkiResult<DecodedCertificate[]> {
  return guard("certificate", () => decodeCertificateInput(input));
}

/** Throwing form of decodeCertificates, for callers already inside guard(). */
export function decodeCertificateInput(input: Uint8Array | string): DecodedCertificate[] {
  const source = readSource(input);
  if ("der" in source) return [decodeDer(source.der, 0, 1)];

  const blocks = parsePemBlocks(source.pemText, "certificate");
  rejectForeignBlocks(blocks);
  if (blocks.length > MAX_BUNDLE_CERTIFICATES) {
    reject("certificate", "too_many_certificates", `The file holds ${blocks.length} certificates, more than the ${MAX_BUNDLE_CERTIFICATES} one upload may hold; split it into smaller bundles.`);
  }
  return blocks.map((block, i) => decodeDer(block.der, i, blocks.length));
}

type Source = { der: Uint8Array } | { pemText: string };

function readSource(input: Uint8Array | string): Source {
  if (typeof input === "string") return readText(input, false);
  if (input.length === 0) reject("certificate", "empty", "The certificate file is empty; choose the certificate file again.");
  checkSize(input.length);
  const text = asText(input);
  if (text !== null) return readText(text, true);
  if (input[0] !== 0x30) reject("certificate", "not_a_certificate", NEITHER);
  return { der: input };
}

function readText(text: string, isFile: boolean): Source {
  if (!text.trim()) reject("certificate", "empty", "The certificate is empty; paste the PEM text or choose the certificate file.");
  const pem = hasPemBoundary(text);
  const base64 = pem ? null : base64Payload(text);
  // A pasted field is measured by what it carries: the DER behind base64, otherwise its text.
  if (!isFile) checkSize(base64 ? base64DecodedLength(base64) : Buffer.byteLength(text));
  if (pem) return { pemText: text };
  const der = base64 ? Buffer.from(base64, "base64") : null;
  if (!der || der[0] !== 0x30) reject("certificate", "not_a_certificate", NEITHER);
  return { der };
}

function checkSize(bytes: number): void {
  if (bytes > MAX_CERTIFICATE_BYTES) {
    reject("certificate", "too_large", `The certificate is ${bytes} bytes, over the 1 MiB limit; upload only the certificates you need.`);
  }
}

const LABEL_KINDS: Record<string, OtherDer> = {
  "CERTIFICATE REQUEST": "csr",
  "NEW CERTIFICATE REQUEST": "csr",
  PKCS7: "pkcs7",
  CMS: "pkcs7",
};

/** Only CERTIFICATE blocks belong here; a key anywhere in the file is reported first. */
function rejectForeignBlocks(blocks: PemBlock[]): void {
  if (blocks.some((b) => b.label.endsWith("PRIVATE KEY"))) rejectOther("private_key", true);
  for (const block of blocks) {
    if (block.label === "CERTIFICATE") continue;
    const kind = LABEL_KINDS[block.label];
    if (kind) rejectOther(kind, true);
    reject("certificate", "not_a_certificate", `The file holds a PEM block labelled '${block.label}'; upload only '-----BEGIN CERTIFICATE-----' blocks.`);
  }
}

function rejectOther(kind: OtherDer, pem: boolean): never {
  switch (kind) {
    case "private_key":
      return pem
        ? reject("certificate", "private_key_in_certificate", "The file holds a private key; upload only the certificate.")
        : reject("certificate", "private_key_in_certificate", "The file is a private key, not a certificate; upload the certificate file instead.");
    case "csr":
      return reject("certificate", "csr", "The file holds a certificate signing request (CSR), not a certificate; upload the certificate your CA issued for it.");
    case "pkcs7":
      return reject("certificate", "not_a_certificate", "The file is a PKCS#7 (.p7b) bundle; extract the certificates with `openssl pkcs7 -print_certs -in FILE -out certs.pem` and upload that.");
    case "pkcs12":
      return reject("certificate", "not_a_certificate", "The file is a PKCS#12 (.p12/.pfx) archive; extract the certificate with `openssl pkcs12 -in FILE -nokeys -out cert.pem` and upload that.");
  }
}

function decodeDer(der: Uint8Array, index: number, total: number): DecodedCertificate {
  const who = which(index, total);
  try {
    const canonical = Buffer.from(der); // a copy: callers keep it, the input may be reused
    return { der: canonical, pem: toPem(canonical), details: describeCertificateDer(canonical) };
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    if (err.kind === "trailing_data") {
      reject("certificate", "trailing_data", `${who} is followed by extra data (${err.message}); upload the certificate exactly as issued, with nothing appended.`);
    }
    if (err.kind === "truncated") {
      reject("certificate", "truncated", `${who} is cut off (${err.message}); upload the complete file.`);
    }
    const other = identifyOtherDer(der);
    if (other) rejectOther(other, false);
    reject("certificate", "malformed", `${who} is not a well-formed X.509 certificate (${err.message}); export it again from the tool or CA that issued it.`);
  }
}
