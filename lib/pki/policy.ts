// What each kind of certificate object accepts (docs/api.md, "Certificates"). Checks run in the order a
// person fixes things: the right kind of certificate first, then its key strength and dates, and
// only then (server) the private key, which is useless for a certificate that must be replaced.
import { X509Certificate } from "node:crypto";
import { decodeCertificateInput } from "./decode";
import { EKU } from "./oids";
import { keyMatchesCertificate, readPrivateKey, toPkcs8Pem } from "./private-key";
import { PkiError, day, guard, reject, which } from "./problems";
import type { CertificateDetails, DecodedCertificate, PkiResult, UploadInput, ValidatedUpload } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_WARNING_DAYS = 30;
const ACCEPTED_NAMED_KEYS = new Set(["EC P-256", "EC P-384", "EC P-521", "Ed25519"]);
const MIN_RSA_BITS = 2048;

export function validateUpload(input: UploadInput): PkiResult<ValidatedUpload> {
  return guard("certificate", () => validate(input));
}

function validate(input: UploadInput): ValidatedUpload {
  const now = input.now ?? new Date();
  const certificates = decodeFor(input);
  const warnings: string[] = [];
  let privateKeyPem: string | null = null;

  if (input.kind === "ca") {
    certificates.forEach((cert, i) => checkCa(cert.details, label(certificates, i)));
  } else if (input.kind === "client") {
    checkClient(certificates, input.boundToUser === true);
  } else {
    checkServerLeaf(certificates[0].details, label(certificates, 0));
  }
  certificates.forEach((cert, i) => {
    const who = label(certificates, i);
    checkKeyStrength(cert.details, who);
    // A server chain may carry an expired cross-signed root on purpose (old clients still need it).
    if (input.kind === "server" && i > 0) warnings.push(...validityProblems(cert.details, who, now));
    else checkValidity(cert.details, who, now);
  });

  if (input.kind === "server") {
    const key = checkServerKey(input, certificates);
    warnings.push(...key.warnings, ...chainOrderWarnings(certificates));
    privateKeyPem = key.pem;
  } else if (isPresent(input.privateKey)) {
    reject("privateKey", "unexpected_private_key", `A ${input.kind === "ca" ? "CA" : "client"} certificate is stored without a private key; clear the Private key field.`);
  }

  certificates.forEach((cert, i) => warnings.push(...advisories(cert.details, label(certificates, i), now)));
  if (input.kind === "ca" && !certificates.some((c) => c.details.selfSigned)) {
    warnings.push("This upload holds no self-signed root CA; add the root that issued it to the bundle so client certificates can be verified all the way up.");
  }
  return { certificates, privateKeyPem, warnings };
}

function decodeFor(input: UploadInput): DecodedCertificate[] {
  try {
    return decodeCertificateInput(input.certificate);
  } catch (err) {
    // For a server certificate the key has its own field; say so instead of just "remove it".
    if (input.kind === "server" && err instanceof PkiError && err.problem.code === "private_key_in_certificate") {
      reject("certificate", "private_key_in_certificate", "The certificate file also holds a private key; put the key in the Private key field and upload only the certificate and its chain here.");
    }
    throw err;
  }
}

function label(certificates: DecodedCertificate[], i: number): string {
  return which(i, certificates.length, certificates[i].details.subject);
}

function checkCa(d: CertificateDetails, who: string): void {
  if (d.isCA) return;
  reject("certificate", "not_a_ca", `${who} is not a CA (its basic constraints do not say CA:TRUE); upload the CA certificate that issued it, or upload this one as a Client certificate.`);
}

function checkClient(certificates: DecodedCertificate[], boundToUser: boolean): void {
  if (certificates.length !== 1) {
    reject("certificate", "too_many_certificates", `The file holds ${certificates.length} certificates, but a client certificate upload takes exactly one; upload only the client's own certificate, without its chain.`);
  }
  const d = certificates[0].details;
  const clientAuth = d.extendedKeyUsage.includes(EKU.clientAuth);
  // A user's binding trusts this exact certificate, never what it signs: a self-signed one made for
  // client authentication is a leaf whatever its basic constraints say (openssl req -x509 says CA).
  if (d.isCA && !(boundToUser && d.selfSigned && clientAuth)) {
    reject("certificate", "ca_as_client", "This certificate is a CA (basic constraints CA:TRUE), not a client certificate; upload it as a CA certificate instead.");
  }
  if (!clientAuth) {
    reject("certificate", "missing_client_auth_eku", `This certificate has no 'TLS Web Client Authentication' extended key usage (id-kp-clientAuth), which a client certificate needs; ask the issuer for one with extendedKeyUsage clientAuth.`);
  }
}

function checkServerLeaf(d: CertificateDetails, who: string): void {
  if (d.extendedKeyUsage.length > 0 && !d.extendedKeyUsage.includes(EKU.serverAuth)) {
    reject("certificate", "missing_server_auth_eku", `${who} has an extended key usage without 'TLS Web Server Authentication' (id-kp-serverAuth), so TLS clients will refuse it; ask the issuer for one with extendedKeyUsage serverAuth.`);
  }
}

function checkKeyStrength(d: CertificateDetails, who: string): void {
  if (d.keyAlgorithm.startsWith("RSA")) {
    if ((d.keyBits ?? 0) >= MIN_RSA_BITS) return;
    reject("certificate", "weak_key", `${who} has a ${d.keyBits}-bit RSA key, below the ${MIN_RSA_BITS} bits required; re-issue it with RSA 2048 or stronger, or with EC P-256.`);
  }
  if (ACCEPTED_NAMED_KEYS.has(d.keyAlgorithm)) return;
  reject("certificate", "unsupported_key", `${who} has a key of type ${d.keyAlgorithm}, which is not accepted; re-issue it with RSA 2048 or stronger, EC P-256/P-384/P-521, or Ed25519.`);
}

function validityProblems(d: CertificateDetails, who: string, now: Date): string[] {
  if (now < d.notBefore) {
    return [`${who} is not valid until ${d.notBefore.toISOString().slice(0, 16).replace("T", " ")} UTC; upload it once it is valid, or check the issuing machine's clock.`];
  }
  if (now > d.notAfter) return [`${who} expired on ${day(d.notAfter)}; upload a current one.`];
  return [];
}

function checkValidity(d: CertificateDetails, who: string, now: Date): void {
  const [problem] = validityProblems(d, who, now);
  if (problem) reject("certificate", now < d.notBefore ? "not_yet_valid" : "expired", problem);
}

/** Not reasons to refuse, but worth knowing before a listener depends on the certificate. */
function advisories(d: CertificateDetails, who: string, now: Date): string[] {
  const warnings: string[] = [];
  const daysLeft = Math.floor((d.notAfter.getTime() - now.getTime()) / DAY_MS);
  if (now <= d.notAfter && daysLeft < EXPIRY_WARNING_DAYS) {
    warnings.push(`${who} expires on ${day(d.notAfter)} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}); plan its renewal.`);
  }
  const weakHash = /with (SHA-1|MD5|MD2)$/.exec(d.signatureAlgorithm)?.[1];
  // A self-signed root's own signature is never checked by TLS, so its hash does not matter.
  if (weakHash && !d.selfSigned) {
    warnings.push(`${who} is signed with ${weakHash}, which current TLS clients reject; ask the issuer for one signed with SHA-256.`);
  }
  return warnings;
}

function checkServerKey(input: UploadInput, certificates: DecodedCertificate[]): { pem: string; warnings: string[] } {
  if (!isPresent(input.privateKey)) {
    reject("privateKey", "missing_private_key", "A server certificate needs its private key; add the PEM key file that was generated with this certificate.");
  }
  const { key, warnings } = readPrivateKey(input.privateKey, input.passphrase);
  const owner = certificates.findIndex((c) => keyMatchesCertificate(key, c.der));
  if (owner > 0) {
    reject("privateKey", "key_mismatch", `The private key belongs to certificate ${owner + 1} of ${certificates.length}, not the first; put the server certificate first in the file, followed by its chain.`);
  }
  if (owner < 0) {
    reject("privateKey", "key_mismatch", "The private key does not belong to this certificate; upload the key that was generated with it.");
  }
  return { pem: toPkcs8Pem(key), warnings };
}

/** Each chain certificate should have issued the one before it; TLS clients expect that order. */
function chainOrderWarnings(certificates: DecodedCertificate[]): string[] {
  const warnings: string[] = [];
  for (let i = 1; i < certificates.length; i++) {
    const child = new X509Certificate(certificates[i - 1].der);
    if (!child.checkIssued(new X509Certificate(certificates[i].der))) {
      warnings.push(`Certificate ${i + 1} of ${certificates.length} did not issue certificate ${i}; order the chain from the server certificate up towards the root.`);
    }
  }
  return warnings;
}

function isPresent(value: Uint8Array | string | null | undefined): value is Uint8Array | string {
  if (value == null) return false;
  return typeof value === "string" ? value.trim() !== "" : value.length > 0;
}
