// Checks a signature over DER bytes the way X.509 defines it (an AlgorithmIdentifier, a BIT STRING
// and the signer's public key), with node:crypto. Certificates get this from OpenSSL through
// X509Certificate.verify; CRLs have no such call in Node, so the algorithm identifier is read here.
import { X509Certificate, verify, constants, type KeyObject } from "node:crypto";
import { DerError, DerReader, TAG, contextTag, decodeInteger, decodeOid, type Tlv } from "./der";

const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
const MGF1 = "1.2.840.113549.1.1.8";
const RSA_PSS = "1.2.840.113549.1.1.10";

/** Signature algorithm OID → digest, for the algorithms whose parameters are absent or NULL. */
const SIMPLE: Record<string, { hash: string | null; rsa: boolean }> = {
  "1.2.840.113549.1.1.5": { hash: "sha1", rsa: true },
  "1.2.840.113549.1.1.14": { hash: "sha224", rsa: true },
  "1.2.840.113549.1.1.11": { hash: "sha256", rsa: true },
  "1.2.840.113549.1.1.12": { hash: "sha384", rsa: true },
  "1.2.840.113549.1.1.13": { hash: "sha512", rsa: true },
  "1.2.840.10045.4.1": { hash: "sha1", rsa: false },
  "1.2.840.10045.4.3.1": { hash: "sha224", rsa: false },
  "1.2.840.10045.4.3.2": { hash: "sha256", rsa: false },
  "1.2.840.10045.4.3.3": { hash: "sha384", rsa: false },
  "1.2.840.10045.4.3.4": { hash: "sha512", rsa: false },
  "1.3.101.112": { hash: null, rsa: false }, // Ed25519
  "1.3.101.113": { hash: null, rsa: false }, // Ed448
};

/** Thrown for an algorithm this module cannot check (as opposed to a signature that is wrong). */
export class UnsupportedSignatureError extends Error {}

/** The issuer's public key from its certificate's DER. */
export function publicKeyOfCertificate(certificateDer: Uint8Array): KeyObject {
  return new X509Certificate(Buffer.from(certificateDer)).publicKey;
}

/**
 * True when `signature` (the BIT STRING's bytes) over `signed` verifies with `key` under the
 * AlgorithmIdentifier `algorithm`; false when it does not or the key does not fit the algorithm.
 */
export function verifySignature(signed: Uint8Array, algorithm: Tlv, signature: Uint8Array, key: KeyObject): boolean {
  const reader = DerReader.of(algorithm, "the signature algorithm");
  const oid = decodeOid(reader.read(TAG.OID, "the algorithm id"), "the signature algorithm");
  const parameters = reader.done ? undefined : reader.next("the parameters");
  reader.end();
  const data = Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength);
  const sig = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  try {
    if (oid === RSA_PSS) {
      if (!parameters) throw new DerError("the RSA-PSS signature algorithm has no parameters");
      const pss = readPssParameters(parameters);
      return verify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, sig);
    }
    const simple = SIMPLE[oid];
    if (!simple) throw new UnsupportedSignatureError(`the signature algorithm ${oid} is not supported`);
    if (parameters && !(simple.rsa && parameters.tag === TAG.NULL && parameters.content.length === 0)) {
      throw new DerError("the signature algorithm has parameters it must not have");
    }
    return verify(simple.hash, data, simple.rsa ? { key, padding: constants.RSA_PKCS1_PADDING } : key, sig);
  } catch (err) {
    if (err instanceof DerError || err instanceof UnsupportedSignatureError) throw err;
    return false; // OpenSSL refuses the key for this algorithm (an EC key for RSA, say): not signed by it
  }
}

/** RFC 4055 RSASSA-PSS-params; MGF1 must use the message digest, as Node (and every CA) does. */
function readPssParameters(tlv: Tlv): { hash: string; saltLength: number } {
  const params = DerReader.of(tlv, "the RSA-PSS parameters");
  let hash = "sha1";
  let mgfHash = "sha1";
  let saltLength = 20;
  const hashTlv = params.optional(contextTag(0, true), "the hash algorithm");
  if (hashTlv) hash = readHash(DerReader.of(hashTlv, "the hash algorithm").read(TAG.SEQUENCE, "the hash"));
  const mgfTlv = params.optional(contextTag(1, true), "the mask generation function");
  if (mgfTlv) {
    const mgf = DerReader.of(DerReader.of(mgfTlv, "the mask generation function").read(TAG.SEQUENCE, "the MGF"), "the MGF");
    if (decodeOid(mgf.read(TAG.OID, "the MGF id"), "the MGF") !== MGF1) throw new UnsupportedSignatureError("the RSA-PSS mask generation function is not MGF1");
    mgfHash = readHash(mgf.read(TAG.SEQUENCE, "the MGF1 hash"));
    mgf.end();
  }
  const saltTlv = params.optional(contextTag(2, true), "the salt length");
  if (saltTlv) {
    const salt = DerReader.of(saltTlv, "the salt length");
    saltLength = Number(decodeInteger(salt.read(TAG.INTEGER, "the salt length"), "the salt length"));
    salt.end();
    if (saltLength < 0 || saltLength > 1024) throw new DerError("the RSA-PSS salt length is out of range");
  }
  const trailer = params.optional(contextTag(3, true), "the trailer field");
  if (trailer) {
    const t = DerReader.of(trailer, "the trailer field");
    if (decodeInteger(t.read(TAG.INTEGER, "the trailer field"), "the trailer field") !== 1n) throw new DerError("the RSA-PSS trailer field is not 1");
    t.end();
  }
  params.end();
  if (mgfHash !== hash) throw new UnsupportedSignatureError("RSA-PSS with an MGF1 digest other than the message digest is not supported");
  return { hash, saltLength };
}

function readHash(tlv: Tlv): string {
  const reader = DerReader.of(tlv, "the hash algorithm");
  const oid = decodeOid(reader.read(TAG.OID, "the hash id"), "the hash algorithm");
  const parameters = reader.optional(TAG.NULL, "the hash parameters");
  if (parameters && parameters.content.length) throw new DerError("the hash algorithm's NULL parameters are not empty");
  reader.end();
  const hash = HASHES[oid];
  if (!hash) throw new UnsupportedSignatureError(`the hash algorithm ${oid} is not supported`);
  return hash;
}
