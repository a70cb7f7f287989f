// Serial numbers as text: one format for a certificate's serial and a CRL entry's, so a revocation
// lookup compares strings that were made the same way.
import { TAG, decodeInteger, hex, type Tlv } from "./der";

/** Hex of the magnitude, byte-aligned, uppercase, sign kept: what `openssl x509 -serial` prints. */
export function formatSerial(tlv: Tlv, what = "the serial number"): string {
  const c = tlv.content;
  // Fast path for the usual positive, minimally encoded serial: its bytes are the answer (a CRL
  // formats one per revoked certificate). decodeInteger below covers the rest and every check.
  if (tlv.tag === TAG.INTEGER && c.length > 1 && c[0] === 0 && c[1] & 0x80) return hex(c.subarray(1)).toUpperCase();
  if (tlv.tag === TAG.INTEGER && c.length > 0 && c[0] > 0 && c[0] < 0x80) return hex(c).toUpperCase();
  const value = decodeInteger(tlv, what);
  const magnitude = (value < 0n ? -value : value).toString(16).toUpperCase();
  return `${value < 0n ? "-" : ""}${magnitude.length % 2 ? "0" : ""}${magnitude}`;
}

/**
 * Any hex spelling of a serial (OpenSSL's "0A", Node's peerCertificate "A", "0a:1b" with colons,
 * extra leading zeros) in formatSerial's form, so lookups do not depend on who printed it.
 */
export function normalizeSerial(serial: string): string {
  const negative = serial.startsWith("-");
  const digits = (negative ? serial.slice(1) : serial).replace(/[:\s]/g, "").toUpperCase().replace(/^0+/, "");
  const even = digits.length % 2 ? `0${digits}` : digits;
  return `${negative && even ? "-" : ""}${even || "00"}`;
}
