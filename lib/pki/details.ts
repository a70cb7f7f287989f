// CertificateDetails from DER: the strict parse for everything shown, OpenSSL (node:crypto) as the
// second reader that the data plane will use, and for the self-signature check.
import { X509Certificate, createHash } from "node:crypto";
import { DerError } from "./der";
import { KEY_ALGORITHM, CURVES, SIGNATURE_ALGORITHMS } from "./oids";
import { parseCertificate, type ParsedPublicKey } from "./parse-certificate";
import type { CertificateDetails } from "./types";

export function sha256Hex(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

/** Details plus the OpenSSL view of the same bytes. Throws DerError on anything malformed. */
export function inspectCertificate(der: Uint8Array): { details: CertificateDetails; x509: X509Certificate } {
  const parsed = parseCertificate(der);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw new DerError("OpenSSL cannot load it");
  }
  // OpenSSL re-encodes what it parsed; any difference means the bytes we would store and pin are
  // not the certificate a TLS peer would present.
  if (!x509.raw.equals(der)) throw new DerError("OpenSSL reads it differently from its bytes");

  const { extensions: ext } = parsed;
  const details: CertificateDetails = {
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
  return { details, x509 };
}

/** For the data plane: details of a peer certificate (throws on malformed input). */
export function describeCertificateDer(der: Uint8Array): CertificateDetails {
  return inspectCertificate(der).details;
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
