// lib/pki: pure X.509 for certgate (no Next.js, no database).
export type {
  CertificateKind,
  CertificateDetails,
  DecodedCertificate,
  PkiField,
  PkiProblem,
  PkiResult,
  ValidatedUpload,
  PemPair,
  UploadInput,
  CrlDetails,
  CrlInput,
  ValidatedCrl,
} from "./types";
export { MAX_CERTIFICATE_BYTES, MAX_BUNDLE_CERTIFICATES, MAX_CRL_BYTES } from "./types";
export { validateCrl, RevokedSerials } from "./crl";
export { normalizeSerial } from "./serial";
export { decodeCertificates } from "./decode";
export { validateUpload } from "./policy";
export { describeCertificateDer } from "./details";
export { sha256Hex } from "./fingerprint";
export { toPem } from "./pem";
export { generateDemoPki } from "./demo";
export { createLocalCa, issueLeaf, LOCALHOST_ALT_NAMES } from "./local-ca";
