// Certificate revocation lists: reading an uploaded CRL strictly, accepting it only when one of the
// CA object's certificates signed it and it is not from the future, and the lookup the data plane
// runs per handshake. Pure: the API stores what validateCrl returns, the data plane builds
// RevokedSerials from the stored DER.
import { DerError } from "./der";
import { describeCertificateDer } from "./details";
import { asText, base64Payload } from "./input-format";
import { SIGNATURE_ALGORITHMS } from "./oids";
import { parseCrl, type ParsedCrl, type RevokedEntry } from "./parse-crl";
import { hasPemBoundary, parsePemBlocks, pemEncode } from "./pem";
import { guard, reject } from "./problems";
import { normalizeSerial } from "./serial";
import { UnsupportedSignatureError, publicKeyOfCertificate, verifySignature } from "./signature";
import { MAX_CRL_BYTES, type CertificateDetails, type CrlInput, type PkiResult, type ValidatedCrl } from "./types";

export type { ParsedCrl, RevokedEntry };

/** A CA's clock a little ahead of ours is not a CRL "from the future". */
export const CRL_CLOCK_SKEW_MS = 5 * 60 * 1000;

const NOT_A_CRL =
  "The file is not a CRL; upload the CA's certificate revocation list as PEM ('-----BEGIN X509 CRL-----') or DER (.crl, .der).";

export function validateCrl(input: CrlInput): PkiResult<ValidatedCrl> {
  return guard("crl", () => validate(input));
}

function validate({ crl: input, issuers, now = new Date() }: CrlInput): ValidatedCrl {
  const der = decodeCrlInput(input);
  const crl = parseCrlStrict(der);
  const signer = findSigner(crl, issuers);
  if (crl.thisUpdate.getTime() > now.getTime() + CRL_CLOCK_SKEW_MS) {
    reject("crl", "from_the_future", `The CRL's thisUpdate (${crl.thisUpdate.toISOString()}) is in the future; check the clock of the CA that issued it (or of this server) and upload it again.`);
  }
  return {
    der,
    pem: pemEncode(der, "X509 CRL"),
    details: {
      issuer: crl.issuer,
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      revokedCount: crl.revoked.length,
      crlNumber: crl.crlNumber,
      signatureAlgorithm: SIGNATURE_ALGORITHMS[crl.signatureOid] ?? crl.signatureOid,
      issuerFingerprintSha256: signer.fingerprintSha256,
    },
  };
}

/** PEM (exactly one X509 CRL block), DER or base64 of DER to the CRL's DER (a copy); throws PkiError. */
export function decodeCrlInput(input: Uint8Array | string): Buffer {
  let text: string | null;
  if (typeof input === "string") {
    text = input;
    if (Buffer.byteLength(text) > MAX_CRL_BYTES) tooLarge(Buffer.byteLength(text));
  } else {
    if (input.length > MAX_CRL_BYTES) tooLarge(input.length);
    text = input.length ? asText(input) : "";
    if (text === null) {
      if (input[0] !== 0x30) reject("crl", "not_a_crl", NOT_A_CRL);
      return Buffer.from(input);
    }
  }
  if (!text.trim()) reject("crl", "empty", "The CRL file is empty; choose the CRL file again.");
  if (!hasPemBoundary(text)) {
    // Base64 of DER, as a JSON field may carry it (certificate uploads take the same).
    const base64 = base64Payload(text);
    const der = base64 ? Buffer.from(base64, "base64") : null;
    if (!der || der[0] !== 0x30) reject("crl", "not_a_crl", NOT_A_CRL);
    return der;
  }
  const blocks = parsePemBlocks(text, "crl");
  const crls = blocks.filter((b) => b.label === "X509 CRL");
  if (crls.length === 0) {
    const labels = [...new Set(blocks.map((b) => `'${b.label}'`))].join(", ");
    reject("crl", "not_a_crl", `The file holds ${labels} PEM blocks but no CRL; upload the CA's CRL (a '-----BEGIN X509 CRL-----' block, or DER).`);
  }
  if (blocks.length > 1) {
    reject("crl", "too_many_blocks", `The file holds ${blocks.length} PEM blocks; upload one CRL per file, as a single '-----BEGIN X509 CRL-----' block.`);
  }
  return crls[0].der;
}

/** parseCrl with its DerErrors turned into problems a person can act on. */
export function parseCrlStrict(der: Uint8Array): ParsedCrl {
  try {
    return parseCrl(der);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    if (err.kind === "trailing_data") {
      reject("crl", "trailing_data", `The CRL is followed by extra data (${err.message}); upload the CRL exactly as the CA issued it, with nothing appended.`);
    }
    if (err.kind === "truncated") reject("crl", "truncated", `The CRL is cut off (${err.message}); upload the complete file.`);
    if (err.message === "it is a certificate, not a CRL") {
      reject("crl", "not_a_crl", "The file is a certificate, not a CRL; upload the CA's certificate revocation list (for example the output of `openssl ca -gencrl`).");
    }
    reject("crl", "malformed", `The file is not a well-formed X.509 CRL (${err.message}); export it again from the CA that issued it.`);
  }
}

/** The certificate among `issuers` whose subject is the CRL's issuer and whose key verifies it. */
function findSigner(crl: ParsedCrl, issuers: Uint8Array[]): CertificateDetails {
  const cas = issuers.flatMap((der) => {
    try {
      return [{ der, details: describeCertificateDer(der) }];
    } catch {
      return []; // the store holds only validated certificates; an unreadable one signs nothing
    }
  });
  const named = cas.filter((ca) => ca.details.subject === crl.issuer);
  if (named.length === 0) {
    const subjects = cas.map((ca) => ca.details.subject).join("; ") || "no certificate";
    reject("crl", "wrong_issuer", `This CRL is signed by ${crl.issuer}, not by this CA (${subjects}); upload it to the CA certificate that issued it, or upload this CA's own CRL.`);
  }
  for (const ca of named) {
    let verified: boolean;
    try {
      verified = verifySignature(crl.tbs, crl.signatureAlgorithm, crl.signature, publicKeyOfCertificate(ca.der));
    } catch (err) {
      if (err instanceof UnsupportedSignatureError) {
        reject("crl", "unsupported_signature", `The CRL's signature cannot be checked: ${err.message}; ask the CA for a CRL signed with ECDSA, RSA or Ed25519.`);
      }
      if (err instanceof DerError) reject("crl", "malformed", `The file is not a well-formed X.509 CRL (${err.message}); export it again from the CA that issued it.`);
      throw err;
    }
    if (!verified) continue;
    // RFC 5280 4.2.1.3: a key whose usage is restricted must allow cRLSign to sign CRLs.
    if (ca.details.keyUsage.length && !ca.details.keyUsage.includes("cRLSign")) {
      reject("crl", "ca_cannot_sign_crls", `The CRL is signed by ${crl.issuer}, but that CA certificate's key usage does not allow signing CRLs (cRLSign); upload a CRL signed by a key that may sign CRLs.`);
    }
    return ca.details;
  }
  reject("crl", "bad_signature", `The CRL names ${crl.issuer} as its issuer, but its signature does not verify with that CA's key (it was signed by another CA of the same name, or altered); upload the CRL exactly as this CA issued it.`);
}

function tooLarge(bytes: number): never {
  reject("crl", "too_large", `The CRL is ${bytes} bytes, over the ${MAX_CRL_BYTES / 1024 / 1024} MiB limit; upload the CA's current CRL only.`);
}

/**
 * The serial numbers a CRL revokes, for the handshake's lookup: a Set, so checking a client
 * certificate costs one hash lookup however long the CRL is. Serials compare in normalizeSerial's
 * form, so "0a", "A" and "0A" are the same certificate.
 */
export class RevokedSerials {
  private readonly serials: Set<string>;

  constructor(entries: Iterable<RevokedEntry>) {
    this.serials = new Set();
    // CRL serials are already in formatSerial's (= normalizeSerial's) form: no work per entry.
    for (const entry of entries) this.serials.add(entry.serialNumber);
  }

  /** From a CRL's DER that validateCrl accepted before (the store's copy); throws DerError otherwise. */
  static fromDer(der: Uint8Array): RevokedSerials {
    return new RevokedSerials(parseCrl(der).revoked);
  }

  get size(): number {
    return this.serials.size;
  }

  /** `serial` in any hex spelling (CertificateDetails.serialNumber, Node's peerCertificate.serialNumber). */
  has(serial: string): boolean {
    return this.serials.has(normalizeSerial(serial));
  }
}
