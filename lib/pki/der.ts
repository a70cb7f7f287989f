// A small, strict DER reader. Lenient parsers (including @peculiar/x509) accept BER leftovers,
// trailing bytes and half-read extensions, which would make a stored certificate differ from the
// one a TLS peer presents. Here every length must be definite and minimal, every container must be
// consumed exactly, and every primitive we interpret must follow DER.

export type DerErrorKind = "malformed" | "truncated" | "trailing_data";

export class DerError extends Error {
  constructor(message: string, readonly kind: DerErrorKind = "malformed") {
    super(message);
    this.name = "DerError";
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed (EXPLICIT or a constructed IMPLICIT type) or primitive. */
export const contextTag = (n: number, constructed: boolean) => (constructed ? 0xa0 : 0x80) | n;

export interface Tlv {
  /** The identifier octet (for the high-tag-number form: the first octet, which no caller expects). */
  tag: number;
  constructed: boolean;
  /** The whole element, header included. */
  bytes: Uint8Array;
  content: Uint8Array;
}

const MAX_DEPTH = 32;
/** Real OIDs stay far below this (a UUID arc needs 19 bytes); it bounds the BigInt work. */
const MAX_OID_BYTES = 128;

/** Where one element's parts lie, its header read and checked; its content is not looked at. */
export interface TlvHeader {
  tag: number;
  contentStart: number;
  end: number;
}

/** Reads one element at `offset`; content running past the buffer is "truncated". */
export function readTlv(buf: Uint8Array, offset: number, what: string): Tlv {
  const { tag, contentStart, end } = readTlvHeader(buf, offset, what);
  return { tag, constructed: (tag & 0x20) !== 0, bytes: buf.subarray(offset, end), content: buf.subarray(contentStart, end) };
}

/**
 * readTlv without the views: the data plane walks every client's TLS session with it, so it
 * allocates one small object and no closure.
 */
export function readTlvHeader(buf: Uint8Array, offset: number, what: string): TlvHeader {
  let pos = offset;
  if (pos >= buf.length) throw headerCut(what);
  const tag = buf[pos++];
  if ((tag & 0x1f) === 0x1f) {
    // High-tag-number form: base-128, minimal, must not fit in the short form.
    let first = true;
    let number = 0;
    for (;;) {
      if (pos >= buf.length) throw headerCut(what);
      const b = buf[pos++];
      if (first && b === 0x80) throw new DerError(`${what} has a non-minimal tag`);
      first = false;
      number = number * 128 + (b & 0x7f);
      if (number > 0xffffff) throw new DerError(`${what} has an oversized tag`);
      if (!(b & 0x80)) break;
    }
    if (number < 31) throw new DerError(`${what} has a non-minimal tag`);
  }
  if (pos >= buf.length) throw headerCut(what);
  let length = buf[pos++];
  if (length === 0x80) throw new DerError(`${what} uses an indefinite length, which DER forbids`);
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new DerError(`${what} has an oversized length`);
    length = 0;
    for (let i = 0; i < count; i++) {
      if (pos >= buf.length) throw headerCut(what);
      const b = buf[pos++];
      if (i === 0 && b === 0) throw new DerError(`${what} has a non-minimal length`);
      length = length * 256 + b;
    }
    if (length < 0x80) throw new DerError(`${what} has a non-minimal length`);
  }
  const end = pos + length;
  if (end > buf.length) {
    throw new DerError(`${what} declares ${end - offset} bytes but only ${buf.length - offset} are there`, "truncated");
  }
  return { tag, contentStart: pos, end };
}

const headerCut = (what: string) => new DerError(`${what} ends inside its header`, "truncated");

/** Sequential reader over the elements of one container, which must be consumed exactly. */
export class DerReader {
  private offset = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly context: string,
  ) {}

  static of(tlv: Tlv, context: string): DerReader {
    if (!tlv.constructed) throw new DerError(`${context} is not a constructed element`);
    return new DerReader(tlv.content, context);
  }

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.buf[this.offset];
  }

  next(what: string): Tlv {
    if (this.done) throw new DerError(`${this.context} is missing ${what}`);
    let tlv: Tlv;
    try {
      tlv = readTlv(this.buf, this.offset, `${what} in ${this.context}`);
    } catch (err) {
      // Running past the end of an inner container is a broken structure, not a cut-off file.
      if (err instanceof DerError) throw new DerError(err.message);
      throw err;
    }
    this.offset += tlv.bytes.length;
    return tlv;
  }

  read(tag: number, what: string): Tlv {
    if (this.peekTag() !== tag) throw new DerError(`${what} in ${this.context} is missing or has the wrong type`);
    return this.next(what);
  }

  optional(tag: number, what: string): Tlv | undefined {
    return this.peekTag() === tag ? this.next(what) : undefined;
  }

  end(): void {
    if (!this.done) throw new DerError(`${this.context} has unexpected data after its last field`);
  }
}

/** Checks that `bytes` is exactly one well-formed DER element, looking inside constructed ones. */
export function assertSingleElement(bytes: Uint8Array, what: string): Tlv {
  const reader = new DerReader(bytes, what);
  const tlv = reader.next("the value");
  if (!reader.done) throw new DerError(`${what} has extra bytes after its value`);
  assertWellFormed(tlv, what, 0);
  return tlv;
}

function assertWellFormed(tlv: Tlv, what: string, depth: number): void {
  if (!tlv.constructed) return;
  if (depth > MAX_DEPTH) throw new DerError(`${what} is nested too deeply`);
  const reader = new DerReader(tlv.content, what);
  while (!reader.done) assertWellFormed(reader.next("an element"), what, depth + 1);
}

export function decodeOid(tlv: Tlv, what: string): string {
  const c = tlv.content;
  if (tlv.tag !== TAG.OID || c.length === 0) throw new DerError(`${what} is not an object identifier`);
  if (c.length > MAX_OID_BYTES) throw new DerError(`${what} is an implausibly long object identifier`);
  const arcs: bigint[] = [];
  let value = 0n;
  let fresh = true;
  for (const b of c) {
    if (fresh && b === 0x80) throw new DerError(`${what} is not a DER object identifier`);
    value = (value << 7n) | BigInt(b & 0x7f);
    fresh = !(b & 0x80);
    if (fresh) {
      arcs.push(value);
      value = 0n;
    }
  }
  if (!fresh) throw new DerError(`${what} is a truncated object identifier`);
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  return [first, arcs[0] - first * 40n, ...arcs.slice(1)].join(".");
}

export function decodeInteger(tlv: Tlv, what: string): bigint {
  const c = tlv.content;
  if (tlv.tag !== TAG.INTEGER || c.length === 0) throw new DerError(`${what} is not an INTEGER`);
  if (c.length > 1 && ((c[0] === 0 && !(c[1] & 0x80)) || (c[0] === 0xff && c[1] & 0x80))) {
    throw new DerError(`${what} is not a minimally encoded INTEGER`);
  }
  // Via hex rather than byte by byte: shifting a growing BigInt is quadratic on huge input.
  const value = BigInt(`0x${hex(c)}`);
  return c[0] & 0x80 ? value - (1n << BigInt(8 * c.length)) : value;
}

export function decodeBoolean(tlv: Tlv, what: string): boolean {
  const c = tlv.content;
  if (tlv.tag !== TAG.BOOLEAN || c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) {
    throw new DerError(`${what} is not a DER BOOLEAN (0x00 or 0xFF)`);
  }
  return c[0] === 0xff;
}

/** Returns the bits as bytes; unused trailing bits must be zero, as DER requires. */
export function decodeBitString(tlv: Tlv, what: string, expectedTag: number = TAG.BIT_STRING): Uint8Array {
  const c = tlv.content;
  if (tlv.tag !== expectedTag || c.length === 0 || c[0] > 7 || (c.length === 1 && c[0] !== 0)) {
    throw new DerError(`${what} is not a BIT STRING`);
  }
  const unused = c[0];
  if (unused && c[c.length - 1] & ((1 << unused) - 1)) throw new DerError(`${what} has non-zero padding bits`);
  return c.subarray(1);
}

/** UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, exactly as RFC 5280 profiles DER. */
export function decodeTime(tlv: Tlv, what: string): Date {
  return decodeTimeAt(tlv.tag, tlv.content, 0, tlv.content.length, what);
}

/**
 * decodeTime for the content at buf[start, end), without making views of it. Digit by digit rather
 * than with a regular expression: a CRL holds one time per revoked certificate, and 100,000 of them
 * must read in well under a second.
 */
export function decodeTimeAt(tag: number, buf: Uint8Array, start: number, end: number, what: string): Date {
  const length = end - start;
  const utc = tag === TAG.UTC_TIME && length === 13;
  if (!utc && !(tag === TAG.GENERALIZED_TIME && length === 15)) throw notATime(what);
  if (buf[end - 1] !== 0x5a) throw notATime(what); // "Z"
  for (let i = start; i < end - 1; i++) if (buf[i] < 0x30 || buf[i] > 0x39) throw notATime(what);
  const two = (i: number) => (buf[start + i] - 0x30) * 10 + (buf[start + i + 1] - 0x30);
  let year: number;
  if (utc) {
    const yy = two(0);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else {
    year = two(0) * 100 + two(2);
  }
  const p = utc ? 2 : 4;
  const [month, dayOfMonth, hour, minute, second] = [two(p), two(p + 2), two(p + 4), two(p + 6), two(p + 8)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > monthDays || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`${what} is not a real date`);
  }
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth, hour, minute, second));
  // Date.UTC reads years 0-99 as 1900-1999; GeneralizedTime means them literally.
  if (year < 100) date.setUTCFullYear(year);
  return date;
}

const notATime = (what: string) => new DerError(`${what} is not a DER UTCTime or GeneralizedTime`);

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes the ASN.1 string types used in names; undefined for a non-string tag. */
export function decodeString(tlv: Tlv, what: string): string | undefined {
  const c = tlv.content;
  const ascii = () => {
    if (c.some((b) => b > 0x7f)) throw new DerError(`${what} holds non-ASCII bytes in an ASCII-only string type`);
    return latin1(c);
  };
  const invalid = (type: string) => new DerError(`${what} is not a valid ${type}`);
  switch (tlv.tag) {
    case 0x0c: // UTF8String
      try {
        return utf8.decode(c);
      } catch {
        throw invalid("UTF8String");
      }
    case 0x13: {
      const text = ascii();
      if (!PRINTABLE.test(text)) throw new DerError(`${what} uses characters a PrintableString cannot hold`);
      return text;
    }
    case 0x12: {
      const text = ascii();
      if (!/^[0-9 ]*$/.test(text)) throw invalid("NumericString");
      return text;
    }
    case 0x16: // IA5String
      return ascii();
    case 0x1a: {
      const text = ascii();
      if (!/^[\x20-\x7e]*$/.test(text)) throw invalid("VisibleString");
      return text;
    }
    case 0x14: // TeletexString: read as Latin-1, like BoringSSL and OpenSSL do in practice
      return latin1(c);
    case 0x1e: {
      // BMPString: UCS-2 big-endian, no surrogates
      if (c.length % 2) throw invalid("BMPString");
      let text = "";
      for (let i = 0; i < c.length; i += 2) {
        const unit = (c[i] << 8) | c[i + 1];
        if (unit >= 0xd800 && unit <= 0xdfff) throw invalid("BMPString");
        text += String.fromCharCode(unit);
      }
      return text;
    }
    case 0x1c: {
      // UniversalString: UCS-4 big-endian
      if (c.length % 4) throw invalid("UniversalString");
      let text = "";
      for (let i = 0; i < c.length; i += 4) {
        const point = ((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0;
        if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) throw invalid("UniversalString");
        text += String.fromCodePoint(point);
      }
      return text;
    }
    default:
      return undefined;
  }
}

/** Bytes as Latin-1 text (no argument spreading, which overflows the stack on large input). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The three parts of a signed X.509 object (certificate or CRL): its signed part, algorithm, signature. */
export interface SignedEnvelope {
  tbs: Tlv;
  algorithm: Tlv;
  signature: Uint8Array;
}

/**
 * Reads `SEQUENCE { tbs SEQUENCE, algorithm SEQUENCE, signature BIT STRING }` filling all of `der`.
 * Throws DerError; kind "truncated" / "trailing_data" describe the outer element only.
 */
export function readSignedEnvelope(der: Uint8Array, what: string): SignedEnvelope {
  const outer = readTlv(der, 0, "the DER encoding");
  if (outer.bytes.length < der.length) {
    throw new DerError(`${der.length - outer.bytes.length} bytes after its end`, "trailing_data");
  }
  if (outer.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a SEQUENCE`);
  const envelope = DerReader.of(outer, what);
  const tbs = envelope.read(TAG.SEQUENCE, "the to-be-signed part");
  const algorithm = envelope.read(TAG.SEQUENCE, "the signature algorithm");
  const signature = decodeBitString(envelope.read(TAG.BIT_STRING, "the signature"), "the signature");
  envelope.end();
  return { tbs, algorithm, signature };
}
