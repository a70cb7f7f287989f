// The extensions block of a certificate. Every extension value must be exactly one well-formed DER
// element (a defect there is invisible until the extension is read, so we read them all up front),
// no extension may appear twice (RFC 5280 4.2), and the ones we show are decoded strictly.
import {
  DerError,
  DerReader,
  TAG,
  assertSingleElement,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  latin1,
  type Tlv,
} from "./der";
import { parseName } from "./names";

export interface ParsedExtensions {
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  keyUsage: string[];
  /** Empty only when the extension is absent: a present one must list at least one purpose. */
  extendedKeyUsage: string[];
  subjectAltNames: string[];
}

const OID = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extendedKeyUsage: "2.5.29.37",
} as const;

const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

export const NO_EXTENSIONS: ParsedExtensions = {
  basicConstraints: null,
  keyUsage: [],
  extendedKeyUsage: [],
  subjectAltNames: [],
};

/** `tlv` is the [3] EXPLICIT wrapper of the TBSCertificate. */
export function parseExtensions(tlv: Tlv): ParsedExtensions {
  const wrapper = DerReader.of(tlv, "the extensions field");
  const list = wrapper.read(TAG.SEQUENCE, "the extensions list");
  wrapper.end();
  const extensions = DerReader.of(list, "the extensions list");
  if (extensions.done) throw new DerError("the extensions list is present but empty");

  const result: ParsedExtensions = { ...NO_EXTENSIONS };
  const seen = new Set<string>();
  while (!extensions.done) {
    const ext = DerReader.of(extensions.read(TAG.SEQUENCE, "an extension"), "an extension");
    const oid = decodeOid(ext.read(TAG.OID, "the extension id"), "an extension id");
    const what = `the ${nameOf(oid)} extension`;
    const critical = ext.optional(TAG.BOOLEAN, "the critical flag");
    if (critical) decodeBoolean(critical, `the critical flag of ${what}`);
    const value = assertSingleElement(ext.read(TAG.OCTET_STRING, "the extension value").content, what);
    ext.end();
    if (seen.has(oid)) throw new DerError(`${what} appears more than once`);
    seen.add(oid);

    switch (oid) {
      case OID.basicConstraints:
        result.basicConstraints = parseBasicConstraints(value, what);
        break;
      case OID.keyUsage:
        result.keyUsage = parseKeyUsage(value, what);
        break;
      case OID.extendedKeyUsage:
        result.extendedKeyUsage = parseExtendedKeyUsage(value, what);
        break;
      case OID.subjectAltName:
        result.subjectAltNames = parseGeneralNames(value, what);
        break;
      case OID.subjectKeyIdentifier:
        if (value.tag !== TAG.OCTET_STRING) throw new DerError(`${what} is not an OCTET STRING`);
        break;
      case OID.authorityKeyIdentifier:
        if (value.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a SEQUENCE`);
        break;
    }
  }
  return result;
}

function nameOf(oid: string): string {
  return Object.entries(OID).find(([, value]) => value === oid)?.[0] ?? oid;
}

function parseBasicConstraints(tlv: Tlv, what: string): ParsedExtensions["basicConstraints"] {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a SEQUENCE`);
  const reader = DerReader.of(tlv, what);
  const caFlag = reader.optional(TAG.BOOLEAN, "the cA flag");
  const pathTlv = reader.optional(TAG.INTEGER, "the path length");
  reader.end();
  const ca = caFlag ? decodeBoolean(caFlag, `the cA flag of ${what}`) : false;
  let pathLength: number | null = null;
  if (pathTlv) {
    const value = decodeInteger(pathTlv, `the path length of ${what}`);
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerError(`${what} has an invalid path length`);
    pathLength = Number(value);
  }
  return { ca, pathLength };
}

function parseKeyUsage(tlv: Tlv, what: string): string[] {
  const bits = decodeBitString(tlv, what);
  return KEY_USAGE_BITS.filter((_, i) => (bits[i >> 3] ?? 0) & (0x80 >> (i & 7)));
}

function parseExtendedKeyUsage(tlv: Tlv, what: string): string[] {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a SEQUENCE`);
  const reader = DerReader.of(tlv, what);
  if (reader.done) throw new DerError(`${what} lists no purposes`);
  const purposes: string[] = [];
  while (!reader.done) purposes.push(decodeOid(reader.read(TAG.OID, "a key purpose"), `a key purpose in ${what}`));
  return purposes;
}

/** GeneralNames as OpenSSL-like "TYPE:value" strings; the IA5String forms must be ASCII. */
export function parseGeneralNames(tlv: Tlv, what: string): string[] {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a SEQUENCE`);
  const reader = DerReader.of(tlv, what);
  if (reader.done) throw new DerError(`${what} lists no names`);
  const names: string[] = [];
  while (!reader.done) {
    const name = reader.next("a name");
    const ascii = (label: string) => {
      if (name.content.some((b) => b > 0x7f)) throw new DerError(`${what} has a ${label} name that is not ASCII`);
      return latin1(name.content);
    };
    switch (name.tag) {
      case contextTag(0, true):
        names.push(`othername:${decodeOid(DerReader.of(name, what).read(TAG.OID, "the otherName type"), what)}`);
        break;
      case contextTag(1, false):
        names.push(`email:${ascii("email")}`);
        break;
      case contextTag(2, false):
        names.push(`DNS:${ascii("DNS")}`);
        break;
      case contextTag(4, true): {
        const inner = DerReader.of(name, what);
        names.push(`DirName:${parseName(inner.read(TAG.SEQUENCE, "a directory name"), what)}`);
        inner.end();
        break;
      }
      case contextTag(6, false):
        names.push(`URI:${ascii("URI")}`);
        break;
      case contextTag(7, false):
        names.push(`IP:${formatIp(name.content, what)}`);
        break;
      case contextTag(8, false):
        names.push(`RID:${decodeOid({ ...name, tag: TAG.OID }, what)}`);
        break;
      case contextTag(3, true):
        names.push("x400Address:<unsupported>");
        break;
      case contextTag(5, true):
        names.push("ediPartyName:<unsupported>");
        break;
      default:
        throw new DerError(`${what} holds a name of an unknown type`);
    }
  }
  return names;
}

/** Dotted quad, or RFC 5952 text for IPv6 ("::1"). */
function formatIp(bytes: Uint8Array, what: string): string {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) throw new DerError(`${what} holds an IP address of ${bytes.length} bytes`);
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  // The longest run of two or more zero groups becomes "::".
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}
