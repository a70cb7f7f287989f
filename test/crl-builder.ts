// Builds CRLs in tests where `openssl ca` would be too slow (100,000 revocations take it minutes) or
// cannot be told what to write (a thisUpdate in the future): a tiny DER writer and node:crypto's
// signing, independent of lib/pki's reader so the tests do not check the parser against itself.
import { X509Certificate, createPrivateKey, sign, type KeyObject } from "node:crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  return tlvOf(tag, content);
}

/** tlv for a long list (spreading 100,000 arguments overflows the stack). */
export function tlvOf(tag: number, content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export const seq = (...content: Buffer[]) => tlv(0x30, ...content);

export function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]); // positive values only
  return tlv(0x02, bytes);
}

/** UTCTime for 1950-2049, as RFC 5280 requires; GeneralizedTime otherwise. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const ECDSA_SHA256 = seq(tlv(0x06, Buffer.from("2a8648ce3d040302", "hex")));

/** The elements (whole, header included) inside one DER element's content. */
export function children(content: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < content.length; ) {
    const { header, length: len } = headerOf(content, pos);
    out.push(content.subarray(pos, pos + header + len));
    pos += header + len;
  }
  return out;
}

function headerOf(buf: Buffer, pos: number): { header: number; length: number } {
  const first = buf[pos + 1];
  if (!(first & 0x80)) return { header: 2, length: first };
  const n = first & 0x7f;
  return { header: 2 + n, length: buf.subarray(pos + 2, pos + 2 + n).reduce((a, b) => a * 256 + b, 0) };
}

export const contentOf = (el: Buffer) => el.subarray(headerOf(el, 0).header);

/** The subject Name's DER of a v3 certificate: the 6th field of its TBSCertificate. */
function subjectOf(certificatePem: string | Buffer): Buffer {
  const der = new X509Certificate(certificatePem).raw;
  const tbs = children(contentOf(der))[0];
  return children(contentOf(tbs))[5];
}

export interface BuiltCrl {
  /** The issuing CA's certificate (PEM) and its EC P-256 private key (PEM). */
  caCertificate: string | Buffer;
  caKey: string | Buffer | KeyObject;
  thisUpdate: Date;
  nextUpdate?: Date;
  serials: bigint[];
  /** Whole revokedCertificates entries (DER) appended after those of `serials`, for odd entries. */
  rawEntries?: Buffer[];
  /** DER of a whole Extensions SEQUENCE, placed in [0]; none when absent. */
  extensions?: Buffer;
}

/** A v2 CRL signed with ECDSA-SHA256 by the given CA key. */
export function buildCrl(spec: BuiltCrl): Buffer {
  const revokedAt = time(spec.thisUpdate);
  const entries = [...spec.serials.map((serial) => seq(integer(serial), revokedAt)), ...(spec.rawEntries ?? [])];
  const tbs = seq(
    integer(1n),
    ECDSA_SHA256,
    subjectOf(spec.caCertificate),
    time(spec.thisUpdate),
    ...(spec.nextUpdate ? [time(spec.nextUpdate)] : []),
    ...(entries.length ? [tlvOf(0x30, entries)] : []),
    ...(spec.extensions ? [tlv(0xa0, spec.extensions)] : []),
  );
  const key = typeof spec.caKey === "object" && "type" in spec.caKey ? spec.caKey : createPrivateKey(spec.caKey as string | Buffer);
  const signature = sign("sha256", tbs, key);
  return seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.from([0]), signature));
}

/** One extension: id (dotted OID as DER hex), critical flag, value DER. */
export function extension(oidHex: string, critical: boolean, value: Buffer): Buffer {
  return seq(tlv(0x06, Buffer.from(oidHex, "hex")), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}
