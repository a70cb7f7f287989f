// Public types and limits of lib/pki. Other folders code against exactly these shapes.

export type CertificateKind = "ca" | "client" | "server";

export interface CertificateDetails {
  /** RFC 4514 style, most specific first, e.g. "CN=Corp Root,O=Corp". */
  subject: string;
  issuer: string;
  /** Uppercase hex as `openssl x509 -serial` prints it ("1000"); a negative serial keeps its sign ("-01"). */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** 64 lowercase hex digits: SHA-256 of the canonical DER, no colons. */
  fingerprintSha256: string;
  /** "EC P-256" | "EC P-384" | "EC P-521" | "RSA 2048" | "RSA-PSS 2048" | "Ed25519" | ... */
  keyAlgorithm: string;
  /** Modulus length for RSA/DSA, field size for EC, null otherwise. */
  keyBits: number | null;
  /** Readable, e.g. "ECDSA with SHA-256", "RSA PKCS#1 v1.5 with SHA-256", "RSA-PSS", "Ed25519". */
  signatureAlgorithm: string;
  isCA: boolean;
  pathLength: number | null;
  /** RFC 5280 bit names, e.g. ["digitalSignature", "keyCertSign"]. */
  keyUsage: string[];
  /** OIDs, e.g. ["1.3.6.1.5.5.7.3.2"]. */
  extendedKeyUsage: string[];
  /** "DNS:example.com", "IP:127.0.0.1", "email:a@b", "URI:https://..." */
  subjectAltNames: string[];
  /** Subject equals issuer and the signature verifies with the certificate's own key. */
  selfSigned: boolean;
}

export interface DecodedCertificate {
  der: Buffer;
  pem: string;
  details: CertificateDetails;
}

export type PkiField = "certificate" | "privateKey" | "passphrase" | "crl";

export interface PkiProblem {
  field: PkiField;
  /** Stable snake_case id, e.g. "expired". */
  code: string;
  /** One sentence a person can act on: the problem and the fix. */
  message: string;
  status: 413 | 422;
}

export type PkiResult<T> = { ok: true; value: T } | { ok: false; problem: PkiProblem };

export interface ValidatedUpload {
  certificates: DecodedCertificate[];
  /** The matching key as unencrypted PKCS#8 PEM, only for kind "server"; null otherwise. */
  privateKeyPem: string | null;
  warnings: string[];
}

export interface UploadInput {
  kind: CertificateKind;
  certificate: Uint8Array | string;
  privateKey?: Uint8Array | string | null;
  passphrase?: string | null;
  now?: Date;
  /**
   * A client certificate that only carries a user's public key (an API user's binding): its trust is
   * the binding, never a chain, so a self-signed certificate marked CA:TRUE is taken as the leaf it is.
   * `openssl req -x509` marks every certificate it makes CA:TRUE unless told otherwise.
   */
  boundToUser?: boolean;
}

export interface PemPair {
  certificatePem: string;
  privateKeyPem: string;
}

/** Above this the upload is answered with 413 (bytes of the file, or of the decoded DER for base64). */
export const MAX_CERTIFICATE_BYTES = 1024 * 1024;
export const MAX_BUNDLE_CERTIFICATES = 100;

/** A CRL's details, as the API returns them (docs/api.md, "Certificate revocation lists"). */
export interface CrlDetails {
  /** RFC 4514, as CertificateDetails.issuer: the CA that signed the CRL. */
  issuer: string;
  thisUpdate: Date;
  /** Null when the CRL names no next update. A CRL past it is still applied, and flagged. */
  nextUpdate: Date | null;
  revokedCount: number;
  /** The cRLNumber extension in decimal, or null. */
  crlNumber: string | null;
  /** Readable, as CertificateDetails.signatureAlgorithm. */
  signatureAlgorithm: string;
  /** fingerprintSha256 of the CA certificate whose key verified the signature. */
  issuerFingerprintSha256: string;
}

export interface ValidatedCrl {
  der: Buffer;
  pem: string;
  details: CrlDetails;
}

export interface CrlInput {
  /** PEM (one `X509 CRL` block), DER, or base64 of DER (a JSON field). */
  crl: Uint8Array | string;
  /** DER of the CA certificates that may have signed it (a CA object's bundle). */
  issuers: Uint8Array[];
  now?: Date;
}

/** A CRL of 100,000 entries is about 4 MiB; above this the upload is answered with 413. */
export const MAX_CRL_BYTES = 32 * 1024 * 1024;
