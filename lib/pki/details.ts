// CertificateDetails from DER: the strict parse for everything shown, OpenSSL (node:crypto) as the
// second reader that the data plane will use, and for the self-signature check.
import { X509Certificate } from "node:crypto";
import { DerError } from "./der";
import { sha256Hex } from "./fingerprint";
import { KEY_ALGORITHM, CURVES, SIGNATURE_ALGORITHMS } from "./oids";
import { parseCertificate, type ParsedPublicKey } from "./parse-certificate";
import type { CertificateDetails } from "./types";

/**
 * Details of one certificate's DER; throws DerError on anything malformed. Used for uploads and,
 * by the data plane, for peer certificates (which is why it does no more work than it must).
 */
export function describeCertificateDer(der: Uint8Array): CertificateDetails {
  const parsed = parseCertificate(der);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw new DerError("OpenSSL cannot load it");
  }
  // A second line of defence behind the strict parse: OpenSSL re-encodes what it parsed, and any
  // difference means the bytes we would store and pin are not the ones a TLS peer presents.
  if (!x509.raw.equals(der)) throw new DerError("OpenSSL reads it differently from its bytes");

  const { extensions: ext } = parsed;
  return {
    subject: parsed.subject,
    issuer: parsed.issuer,
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    fingerprintSha256: sha256Hex(der),
    ...describeKey(parsed.publicKey),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[parsed.signatureOid] ?? parsed.signatureOid,
    isCA: ext.basicConstraints?.ca ?? false,
    pathLength: ext.basicConstraints?.pathLength ?? null,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: ext.extendedKeyUsage,
    subjectAltNames: ext.subjectAltNames,
    selfSigned: parsed.subject === parsed.issuer && verifiesItself(x509),
  };
}

function describeKey(key: ParsedPublicKey): Pick<CertificateDetails, "keyAlgorithm" | "keyBits"> {
  switch (key.algorithmOid) {
    case KEY_ALGORITHM.rsa:
      return { keyAlgorithm: `RSA ${key.modulusBits}`, keyBits: key.modulusBits };
    case KEY_ALGORITHM.rsaPss:
      return { keyAlgorithm: `RSA-PSS ${key.modulusBits}`, keyBits: key.modulusBits };
    case KEY_ALGORITHM.dsa:
      return { keyAlgorithm: key.modulusBits ? `DSA ${key.modulusBits}` : "DSA", keyBits: key.modulusBits };
    case KEY_ALGORITHM.ed25519:
      return { keyAlgorithm: "Ed25519", keyBits: null };
    case KEY_ALGORITHM.ed448:
      return { keyAlgorithm: "Ed448", keyBits: null };
    case KEY_ALGORITHM.ec: {
      if (key.explicitCurve) return { keyAlgorithm: "EC (explicit parameters)", keyBits: null };
      const curve = CURVES[key.curveOid ?? ""];
      return curve ? { keyAlgorithm: `EC ${curve.name}`, keyBits: curve.bits } : { keyAlgorithm: `EC ${key.curveOid}`, keyBits: null };
    }
    default:
      return { keyAlgorithm: key.algorithmOid, keyBits: null };
  }
}

function verifiesItself(x509: X509Certificate): boolean {
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false; // a key or signature OpenSSL cannot use: not verifiably self-signed
  }
}
