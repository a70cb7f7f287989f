// Strict walk of an X.509 certificate (RFC 5280 4.1). It extracts what we show and rejects what a
// strict verifier such as BoringSSL rejects, so an upload that passes here is one the data plane
// and every TLS peer read the same way.
import {
  DerError,
  DerReader,
  TAG,
  assertSingleElement,
  contextTag,
  decodeBitString,
  decodeInteger,
  decodeOid,
  decodeTime,
  readSignedEnvelope,
  type Tlv,
} from "./der";
import { NO_EXTENSIONS, parseExtensions, type ParsedExtensions } from "./extensions";
import { parseName } from "./names";
import { formatSerial } from "./serial";
import { KEY_ALGORITHM } from "./oids";

export interface ParsedPublicKey {
  algorithmOid: string;
  /** The named curve of an EC key, or null. */
  curveOid: string | null;
  /** EC parameters spelled out instead of named: RFC 5480 forbids them in certificates. */
  explicitCurve: boolean;
  /** RSA modulus or DSA prime length in bits, when the key has one. */
  modulusBits: number | null;
}

export interface ParsedCertificate {
  version: 1 | 2 | 3;
  serialNumber: string;
  signatureOid: string;
  issuer: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: ParsedPublicKey;
  extensions: ParsedExtensions;
}

/** Throws DerError; kind "truncated" / "trailing_data" describe the outer element only. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const { tbs: tbsTlv, algorithm: outerAlgorithm } = readSignedEnvelope(der, "the certificate");

  const tbs = DerReader.of(tbsTlv, "the to-be-signed part");
  const versionTlv = tbs.optional(contextTag(0, true), "the version");
  const version = versionTlv ? parseVersion(versionTlv) : 1;
  const serialNumber = formatSerial(tbs.read(TAG.INTEGER, "the serial number"));
  const innerAlgorithm = tbs.read(TAG.SEQUENCE, "the signature algorithm");
  const signatureOid = parseAlgorithm(outerAlgorithm, "the signature algorithm").oid;
  parseAlgorithm(innerAlgorithm, "the inner signature algorithm");
  if (Buffer.compare(innerAlgorithm.bytes, outerAlgorithm.bytes) !== 0) {
    throw new DerError("the signature algorithm inside the signed part differs from the one outside it");
  }
  const issuer = parseName(tbs.read(TAG.SEQUENCE, "the issuer"), "the issuer name");
  const validity = DerReader.of(tbs.read(TAG.SEQUENCE, "the validity"), "the validity period");
  const notBefore = decodeTime(validity.next("notBefore"), "the validity start (notBefore)");
  const notAfter = decodeTime(validity.next("notAfter"), "the validity end (notAfter)");
  validity.end();
  const subject = parseName(tbs.read(TAG.SEQUENCE, "the subject"), "the subject name");
  const publicKey = parsePublicKeyInfo(tbs.read(TAG.SEQUENCE, "the public key"));
  for (const [n, what] of [[1, "the issuer unique id"], [2, "the subject unique id"]] as const) {
    const uid = tbs.optional(contextTag(n, false), what);
    if (!uid) continue;
    if (version < 2) throw new DerError(`${what} needs a version 2 or 3 certificate`);
    decodeBitString(uid, what, contextTag(n, false));
  }
  const extensionsTlv = tbs.optional(contextTag(3, true), "the extensions");
  if (extensionsTlv && version !== 3) throw new DerError("extensions need a version 3 certificate");
  tbs.end();

  return {
    version,
    serialNumber,
    signatureOid,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    extensions: extensionsTlv ? parseExtensions(extensionsTlv) : NO_EXTENSIONS,
  };
}

function parseVersion(tlv: Tlv): 1 | 2 | 3 {
  const reader = DerReader.of(tlv, "the version");
  const value = decodeInteger(reader.read(TAG.INTEGER, "the version number"), "the version");
  reader.end();
  // v1 written out explicitly is not DER, but common and harmless, so it is accepted.
  if (value < 0n || value > 2n) throw new DerError(`the version (${value + 1n}) is not 1, 2 or 3`);
  return (Number(value) + 1) as 1 | 2 | 3;
}

export function parseAlgorithm(tlv: Tlv, what: string): { oid: string; parameters: Tlv | undefined } {
  const reader = DerReader.of(tlv, what);
  const oid = decodeOid(reader.read(TAG.OID, "the algorithm id"), what);
  const parameters = reader.done ? undefined : reader.next("the parameter field");
  reader.end();
  return { oid, parameters };
}

function parsePublicKeyInfo(tlv: Tlv): ParsedPublicKey {
  const spki = DerReader.of(tlv, "the public key");
  const { oid, parameters } = parseAlgorithm(spki.read(TAG.SEQUENCE, "the key algorithm"), "the key algorithm");
  const key = decodeBitString(spki.read(TAG.BIT_STRING, "the key bits"), "the public key");
  spki.end();

  const result: ParsedPublicKey = { algorithmOid: oid, curveOid: null, explicitCurve: false, modulusBits: null };
  if (oid === KEY_ALGORITHM.ec) {
    if (parameters?.tag === TAG.OID) result.curveOid = decodeOid(parameters, "the EC curve");
    else result.explicitCurve = true;
  } else if (oid === KEY_ALGORITHM.rsa || oid === KEY_ALGORITHM.rsaPss) {
    const rsa = DerReader.of(assertSingleElement(key, "the RSA key"), "the RSA key");
    result.modulusBits = bitLength(decodeInteger(rsa.read(TAG.INTEGER, "the modulus"), "the RSA modulus"));
    decodeInteger(rsa.read(TAG.INTEGER, "the exponent"), "the RSA exponent");
    rsa.end();
  } else if (oid === KEY_ALGORITHM.dsa && parameters?.tag === TAG.SEQUENCE) {
    const dsa = DerReader.of(parameters, "the DSA parameters");
    result.modulusBits = bitLength(decodeInteger(dsa.read(TAG.INTEGER, "p"), "the DSA prime"));
  }
  return result;
}

function bitLength(value: bigint): number {
  return value <= 0n ? 0 : value.toString(2).length;
}
