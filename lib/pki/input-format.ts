// Telling PEM, DER and base64 apart, and naming the usual wrong files (keys, CSRs, PKCS#12, PKCS#7)
// so the message can say what was uploaded instead of a certificate.
import { DerReader, TAG, decodeInteger, decodeOid, readTlv } from "./der";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]/;

/** The bytes as text, or null when they are binary (DER always holds control bytes or invalid UTF-8). */
export function asText(bytes: Uint8Array): string | null {
  // Windows PowerShell 5 writes UTF-16 by default; such a PEM file is still text.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return Buffer.from(bytes.subarray(2)).toString("utf16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString("utf16le");
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  text = text.replace(/^\uFEFF/, "");
  return CONTROL.test(text) ? null : text;
}

/** Strict base64 (standard alphabet, whitespace ignored, padding optional), else null. */
export function base64Payload(text: string): string | null {
  const compact = text.replace(/\s+/g, "");
  return compact && /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 !== 1 ? compact : null;
}

export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor(((base64.length - padding) * 3) / 4);
}

export type OtherDer = "private_key" | "encrypted_private_key" | "csr" | "pkcs12" | "pkcs7";

/** Recognises a DER structure that is not a certificate by its outline; null if unknown. */
export function identifyOtherDer(der: Uint8Array): OtherDer | null {
  try {
    const top = DerReader.of(readTlv(der, 0, "the file"), "the file");
    const tags: number[] = [];
    const first = top.next("an element");
    tags.push(first.tag);
    while (!top.done) tags.push(top.next("an element").tag);
    const firstInteger = first.tag === TAG.INTEGER ? decodeInteger(first, "a version") : null;

    if (first.tag === TAG.OID && decodeOid(first, "a type") === "1.2.840.113549.1.7.2") return "pkcs7";
    if (firstInteger === 3n && tags[1] === TAG.SEQUENCE) return "pkcs12";
    // PKCS#8 (version 0/1, algorithm, key), PKCS#1 RSA (nine INTEGERs), SEC1 EC (version 1, key octets).
    if ((firstInteger === 0n || firstInteger === 1n) && tags[1] === TAG.SEQUENCE && tags[2] === TAG.OCTET_STRING) return "private_key";
    if (firstInteger === 0n && tags.length >= 9 && tags.every((t) => t === TAG.INTEGER)) return "private_key";
    if (firstInteger === 1n && tags[1] === TAG.OCTET_STRING) return "private_key";
    if (tags.length === 2 && tags[0] === TAG.SEQUENCE && tags[1] === TAG.OCTET_STRING) return "encrypted_private_key";
    // A CSR's info has exactly version, subject, key and [0] attributes; a TBSCertificate has more.
    if (first.tag === TAG.SEQUENCE && tags.length === 3) {
      const info = DerReader.of(first, "the request");
      const infoTags: number[] = [];
      while (!info.done) infoTags.push(info.next("an element").tag);
      if (infoTags.length === 4 && infoTags[0] === TAG.INTEGER && infoTags[3] === 0xa0) return "csr";
    }
  } catch {
    // Not even an outline we know.
  }
  return null;
}
