// Strict walk of an X.509 CRL (RFC 5280 5.1), in the style of parse-certificate.ts: every length
// definite and minimal, every container consumed exactly. Structural defects throw DerError; a
// well-formed CRL that certgate cannot honour (a delta or indirect CRL, an unknown critical
// extension) is refused with a PkiError that says so.
import {
  DerError,
  DerReader,
  TAG,
  assertSingleElement,
  contextTag,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeTime,
  decodeTimeAt,
  readSignedEnvelope,
  readTlv,
  readTlvHeader,
  type Tlv,
  type TlvHeader,
} from "./der";
import { parseName } from "./names";
import { parseAlgorithm } from "./parse-certificate";
import { reject } from "./problems";
import { formatSerial } from "./serial";

export interface RevokedEntry {
  /** formatSerial's form, as CertificateDetails.serialNumber: "1000", "186A06…3E". */
  serialNumber: string;
  revocationDate: Date;
}

export interface ParsedCrl {
  version: 1 | 2;
  signatureOid: string;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: RevokedEntry[];
  /** The cRLNumber extension in decimal, or null when absent. */
  crlNumber: string | null;
  /** What the signature covers, the outer AlgorithmIdentifier and the signature's bytes. */
  tbs: Uint8Array;
  signatureAlgorithm: Tlv;
  signature: Uint8Array;
}

const CRL_EXTENSION = {
  authorityKeyIdentifier: "2.5.29.35",
  issuerAltName: "2.5.29.18",
  crlNumber: "2.5.29.20",
  deltaCrlIndicator: "2.5.29.27",
  issuingDistributionPoint: "2.5.29.28",
  freshestCrl: "2.5.29.46",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
} as const;
const ENTRY_EXTENSION = { reasonCode: "2.5.29.21", invalidityDate: "2.5.29.24", certificateIssuer: "2.5.29.29" } as const;
const KNOWN_CRL_EXTENSIONS = new Set<string>(Object.values(CRL_EXTENSION));
const KNOWN_ENTRY_EXTENSIONS = new Set<string>(Object.values(ENTRY_EXTENSION));

/** Throws DerError (kind "truncated" / "trailing_data" describe the outer element only) or PkiError. */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const { tbs: tbsTlv, algorithm: outerAlgorithm, signature } = readSignedEnvelope(der, "the CRL");

  const tbs = DerReader.of(tbsTlv, "the to-be-signed part");
  // A certificate's signed part starts with [0] version or the serial, then the algorithm; a CRL's
  // with an optional INTEGER version, then the algorithm. Say "certificate" rather than "malformed".
  if (tbs.peekTag() === contextTag(0, true)) notACrl();
  const versionTlv = tbs.optional(TAG.INTEGER, "the version");
  const version = versionTlv ? parseVersion(versionTlv) : 1;
  const innerAlgorithm = tbs.read(TAG.SEQUENCE, "the signature algorithm");
  const signatureOid = parseAlgorithm(outerAlgorithm, "the signature algorithm").oid;
  parseAlgorithm(innerAlgorithm, "the inner signature algorithm");
  if (Buffer.compare(innerAlgorithm.bytes, outerAlgorithm.bytes) !== 0) {
    throw new DerError("the signature algorithm inside the signed part differs from the one outside it");
  }
  const issuer = parseName(tbs.read(TAG.SEQUENCE, "the issuer"), "the issuer name");
  if (!issuer) throw new DerError("the issuer name is empty");
  const thisUpdate = decodeTime(tbs.next("thisUpdate"), "thisUpdate");
  const nextTag = tbs.peekTag();
  const nextUpdate = nextTag === TAG.UTC_TIME || nextTag === TAG.GENERALIZED_TIME ? decodeTime(tbs.next("nextUpdate"), "nextUpdate") : null;
  const revokedTlv = tbs.optional(TAG.SEQUENCE, "the revoked certificates");
  const revoked = revokedTlv ? parseRevoked(revokedTlv, version) : [];
  const extensionsTlv = tbs.optional(contextTag(0, true), "the CRL extensions");
  if (extensionsTlv && version !== 2) throw new DerError("CRL extensions need a version 2 CRL");
  tbs.end();

  return {
    version,
    signatureOid,
    issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    crlNumber: extensionsTlv ? parseCrlExtensions(extensionsTlv) : null,
    tbs: tbsTlv.bytes,
    signatureAlgorithm: outerAlgorithm,
    signature,
  };
}

function notACrl(): never {
  throw new DerError("it is a certificate, not a CRL");
}

function parseVersion(tlv: Tlv): 1 | 2 {
  const value = decodeInteger(tlv, "the version");
  // RFC 5280: a present version is v2 (1); v1 CRLs omit the field.
  if (value !== 1n) throw new DerError(`the version (${value + 1n}) is not 2`);
  return 2;
}

/**
 * The revokedCertificates list. A CRL may hold 100,000 entries, so this walks them by offsets with
 * readTlvHeader (no views, no per-entry strings) and builds a Tlv only for the rare entry that has
 * extensions or an unusual serial; the checks are those of DerReader.
 */
function parseRevoked(tlv: Tlv, version: 1 | 2): RevokedEntry[] {
  const c = tlv.content;
  const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  const revoked: RevokedEntry[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const entry = innerHeader(buf, pos, buf.length, "a revoked certificate");
    if (entry.tag !== TAG.SEQUENCE) throw new DerError("a revoked certificate in the revoked certificates is not a SEQUENCE");
    const serial = innerHeader(buf, entry.contentStart, entry.end, "the serial number of a revoked certificate");
    if (serial.tag !== TAG.INTEGER) throw new DerError("the serial number of a revoked certificate is missing or has the wrong type");
    const serialNumber = formatSerialAt(buf, serial.contentStart, serial.end);
    const date = innerHeader(buf, serial.end, entry.end, `the revocation date of serial ${serialNumber}`);
    const revocationDate = decodeTimeAt(date.tag, buf, date.contentStart, date.end, `the revocation date of serial ${serialNumber}`);
    if (date.end < entry.end) {
      const extensions = readTlv(buf.subarray(0, entry.end), date.end, "the entry extensions");
      if (extensions.tag !== TAG.SEQUENCE || date.end + extensions.bytes.length !== entry.end) {
        throw new DerError(`the entry for serial ${serialNumber} has unexpected data after its last field`);
      }
      if (version !== 2) throw new DerError("CRL entry extensions need a version 2 CRL");
      readExtensions(extensions, `the entry for serial ${serialNumber}`, (oid, critical) => {
        if (oid === ENTRY_EXTENSION.certificateIssuer) {
          reject("crl", "indirect_crl", "The CRL is an indirect CRL (it lists certificates of other issuers), which certgate does not support; upload the CRL the CA itself issued.");
        }
        if (critical && !KNOWN_ENTRY_EXTENSIONS.has(oid)) unknownCritical(oid, `the entry for serial ${serialNumber}`);
      });
    }
    revoked.push({ serialNumber, revocationDate });
    pos = entry.end;
  }
  return revoked;
}

/** A header inside a container ending at `limit`: running past it is a broken structure, not a cut file. */
function innerHeader(buf: Buffer, offset: number, limit: number, what: string): TlvHeader {
  if (offset >= limit) throw new DerError(`${what} is missing`);
  let header: TlvHeader;
  try {
    header = readTlvHeader(buf, offset, what);
  } catch (err) {
    if (err instanceof DerError) throw new DerError(err.message);
    throw err;
  }
  if (header.end > limit) throw new DerError(`${what} runs past the end of its entry`);
  return header;
}

/** formatSerial's text for the INTEGER content at buf[start, end): the bytes themselves when plain. */
function formatSerialAt(buf: Buffer, start: number, end: number): string {
  if (end - start > 1 && buf[start] === 0 && buf[start + 1] & 0x80) return buf.toString("hex", start + 1, end).toUpperCase();
  if (end > start && buf[start] > 0 && buf[start] < 0x80) return buf.toString("hex", start, end).toUpperCase();
  // Zero, negative or non-minimal: formatSerial decides, with decodeInteger's checks.
  const content = buf.subarray(start, end);
  return formatSerial({ tag: TAG.INTEGER, constructed: false, bytes: content, content }, "a revoked serial number");
}

/** Checks every CRL extension and returns the CRL number (decimal), if any. */
function parseCrlExtensions(tlv: Tlv): string | null {
  const wrapper = DerReader.of(tlv, "the CRL extensions field");
  const list = wrapper.read(TAG.SEQUENCE, "the CRL extensions list");
  wrapper.end();
  let crlNumber: string | null = null;
  readExtensions(list, "the CRL", (oid, critical, value) => {
    switch (oid) {
      case CRL_EXTENSION.crlNumber: {
        const number = decodeInteger(value, "the CRL number");
        if (number < 0n) throw new DerError("the CRL number is negative");
        crlNumber = number.toString();
        break;
      }
      case CRL_EXTENSION.deltaCrlIndicator:
        reject("crl", "delta_crl", "The file is a delta CRL, which only lists changes since a full CRL; upload the CA's full CRL instead.");
      case CRL_EXTENSION.issuingDistributionPoint:
        if (isIndirect(value)) {
          reject("crl", "indirect_crl", "The CRL is an indirect CRL (it lists certificates of other issuers), which certgate does not support; upload the CRL the CA itself issued.");
        }
        break;
      default:
        if (critical && !KNOWN_CRL_EXTENSIONS.has(oid)) unknownCritical(oid, "the CRL");
    }
  });
  return crlNumber;
}

/** IssuingDistributionPoint's indirectCRL [4] BOOLEAN DEFAULT FALSE. */
function isIndirect(value: Tlv): boolean {
  if (value.tag !== TAG.SEQUENCE) throw new DerError("the issuing distribution point is not a SEQUENCE");
  const idp = DerReader.of(value, "the issuing distribution point");
  while (!idp.done) {
    const field = idp.next("a field");
    if (field.tag === contextTag(4, false)) return decodeBoolean({ ...field, tag: TAG.BOOLEAN }, "indirectCRL");
  }
  return false;
}

/** Walks an Extensions SEQUENCE: non-empty, no duplicates, each value exactly one DER element. */
function readExtensions(list: Tlv, owner: string, visit: (oid: string, critical: boolean, value: Tlv) => void): void {
  const extensions = DerReader.of(list, `the extensions of ${owner}`);
  if (extensions.done) throw new DerError(`the extensions list of ${owner} is present but empty`);
  const seen = new Set<string>();
  while (!extensions.done) {
    const ext = DerReader.of(extensions.read(TAG.SEQUENCE, "an extension"), `an extension of ${owner}`);
    const oid = decodeOid(ext.read(TAG.OID, "the extension id"), `an extension id of ${owner}`);
    const criticalTlv = ext.optional(TAG.BOOLEAN, "the critical flag");
    const critical = criticalTlv ? decodeBoolean(criticalTlv, `the critical flag of extension ${oid}`) : false;
    const value = assertSingleElement(ext.read(TAG.OCTET_STRING, "the extension value").content, `extension ${oid} of ${owner}`);
    ext.end();
    if (seen.has(oid)) throw new DerError(`extension ${oid} appears more than once in ${owner}`);
    seen.add(oid);
    visit(oid, critical, value);
  }
}

function unknownCritical(oid: string, owner: string): never {
  reject("crl", "unsupported_critical_extension", `${owner === "the CRL" ? "The CRL" : `In the CRL, ${owner}`} has a critical extension certgate does not understand (${oid}), so it cannot be applied safely; ask the CA for a CRL without it.`);
}
