// Telling PEM, DER and base64 apart, and naming the usual wrong files (keys, CSRs, PKCS#12, PKCS#7)
// so the message can say what was uploaded instead of a certificate.
import { DerReader, TAG, decodeInteger, decodeOid, readTlv, type Tlv } from "./der";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]/;

/** The bytes as text, or null when they are binary (DER always holds control bytes or invalid UTF-8). */
export function asText(bytes: Uint8Array): string | null {
  // Windows PowerShell 5 writes UTF-16 by default; such a PEM file is still text.
  const bom = (bytes[0] << 8) | bytes[1];
  if ((bom === 0xfffe || bom === 0xfeff) && bytes.length % 2 === 0) {
    const utf16 = Buffer.from(bytes.subarray(2));
    return (bom === 0xfeff ? utf16.swap16() : utf16).toString("utf16le");
  }
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

export type OtherDer = "private_key" | "csr" | "pkcs12" | "pkcs7";

/** Recognises a DER structure that is not a certificate by its outline; null if unknown. */
export function identifyOtherDer(der: Uint8Array): OtherDer | null {
  try {
    const children = elements(readTlv(der, 0, "the file"));
    const tags = children.map((c) => c.tag);
    const [first] = children;
    const version = first.tag === TAG.INTEGER ? decodeInteger(first, "a version") : null;

    if (first.tag === TAG.OID && decodeOid(first, "a type") === "1.2.840.113549.1.7.2") return "pkcs7";
    if (version === 3n && tags[1] === TAG.SEQUENCE) return "pkcs12";
    // PKCS#8 (version, algorithm, key), PKCS#1 RSA (nine INTEGERs), SEC1 EC (version 1, key
    // octets), encrypted PKCS#8 (algorithm, encrypted octets).
    if ((version === 0n || version === 1n) && tags[1] === TAG.SEQUENCE && tags[2] === TAG.OCTET_STRING) return "private_key";
    if (version === 0n && tags.length >= 9 && tags.every((t) => t === TAG.INTEGER)) return "private_key";
    if (version === 1n && tags[1] === TAG.OCTET_STRING) return "private_key";
    if (tags.length === 2 && tags[0] === TAG.SEQUENCE && tags[1] === TAG.OCTET_STRING) return "private_key";
    // A CSR's info holds exactly version, subject, key and [0] attributes; a TBSCertificate more.
    if (first.tag === TAG.SEQUENCE && tags.length === 3) {
      const info = elements(first).map((c) => c.tag);
      if (info.length === 4 && info[0] === TAG.INTEGER && info[3] === 0xa0) return "csr";
    }
  } catch {
    // Not even an outline we know.
  }
  return null;
}

function elements(tlv: Tlv): Tlv[] {
  const reader = DerReader.of(tlv, "the file");
  const children: Tlv[] = [];
  while (!reader.done) children.push(reader.next("an element"));
  return children;
}
