// X.501 names: strict parsing and RFC 4514 formatting (most specific RDN first, "," between RDNs,
// "+" inside a multi-valued RDN), e.g. "CN=Test Root CA,O=Test Corp".
import { DerError, DerReader, TAG, decodeOid, decodeString, hex, type Tlv } from "./der";

const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.46": "dnQualifier",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

/** Parses a Name and returns it formatted; every attribute value of a string type must be valid. */
export function parseName(tlv: Tlv, what: string): string {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError(`${what} is not a Name`);
  const rdns = DerReader.of(tlv, what);
  const formatted: string[] = [];
  while (!rdns.done) {
    const set = DerReader.of(rdns.read(TAG.SET, "a relative distinguished name"), what);
    const attributes: string[] = [];
    do {
      const atv = DerReader.of(set.read(TAG.SEQUENCE, "an attribute"), what);
      const oid = decodeOid(atv.read(TAG.OID, "an attribute type"), `an attribute type in ${what}`);
      const value = atv.next("an attribute value");
      atv.end();
      const type = SHORT_NAMES[oid] ?? oid;
      const text = decodeString(value, `the ${type} attribute of ${what}`);
      // RFC 4514: a value that is not a string is written as '#' and the hex of its encoding.
      attributes.push(`${type}=${text === undefined ? `#${hex(value.bytes)}` : escapeValue(text)}`);
    } while (!set.done);
    formatted.unshift(attributes.join("+"));
  }
  return formatted.join(",");
}

/** RFC 4514 section 2.4 escaping. */
function escapeValue(value: string): string {
  return value
    .replace(/[\\",+;<>]/g, (c) => `\\${c}`)
    .replace(/\0/g, "\\00")
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}
