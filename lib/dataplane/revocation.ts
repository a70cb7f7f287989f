// Revocation checking on the handshake path: the CRLs in force for a listener's Client CA
// (ClientAuthRuntime.crlsDer), looked up in O(1) after OpenSSL verified the chain.
//
// Cost model: a CRL of 100,000 entries takes ~100 ms to parse, so each CRL is parsed once per
// process (cached by the SHA-256 of its DER, shared by every listener and every apply, and left
// to the garbage collector once no configuration holds it). Everything about the bundle (which of
// its CAs a CRL revokes, up the chain) is computed once per configuration; a client certificate's
// verdict is computed once per distinct certificate and then costs one map lookup.
//
// A CRL is matched to a certificate by issuer: the CRL's issuer is the certificate's issuer name
// (the CRL was verified against that CA when it was uploaded, lib/pki/crl.ts). Serials compare in
// normalizeSerial's form (RevokedSerials).
import { X509Certificate } from "node:crypto";
import { RevokedSerials } from "../pki/crl";
import { sha256Hex } from "../pki/fingerprint";
import { parseCertificate } from "../pki/parse-certificate";
import { parseCrl } from "../pki/parse-crl";
import { ListenerLoadError } from "./error-messages";

/** One parsed CRL: who issued it (lib/pki's RFC 4514 form) and what it revokes. */
export interface RevocationList {
  readonly issuer: string;
  readonly serials: RevokedSerials;
}

/**
 * sha256Hex of a CRL's DER, once per Buffer: an apply hands every listener of a CA the same Buffer,
 * and both the configuration key and the list cache need it (4 MB hash in ~10 ms).
 */
const digests = new WeakMap<Buffer, string>();
export function crlDigest(der: Buffer): string {
  let digest = digests.get(der);
  if (digest === undefined) {
    digest = sha256Hex(der);
    digests.set(der, digest);
  }
  return digest;
}

const lists = new Map<string, WeakRef<RevocationList>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (!lists.get(key)?.deref()) lists.delete(key);
});

/** The parsed CRL for this DER, parsed only when no live configuration holds it already. */
export function revocationListOf(der: Buffer): RevocationList {
  const key = crlDigest(der);
  const hit = lists.get(key)?.deref();
  if (hit) return hit;
  let list: RevocationList;
  try {
    const crl = parseCrl(der);
    list = Object.freeze({ issuer: crl.issuer, serials: new RevokedSerials(crl.revoked) });
  } catch {
    // Fail closed: a listener that cannot apply a CRL in force must not serve as if it had none.
    throw new ListenerLoadError("A certificate revocation list of the Client CA cannot be read; delete it on the CA certificate's page and upload it again.");
  }
  lists.set(key, new WeakRef(list));
  forget.register(list, key);
  return list;
}

/** How many parsed CRLs the process holds (tests: shared across listeners, dropped when unused). */
export function cachedRevocationLists(): number {
  let live = 0;
  for (const ref of lists.values()) if (ref.deref()) live += 1;
  return live;
}

const MAX_VERDICTS = 10_000;
/** A leaf whose issuer is not in the bundle: its verdict depends on the chain the client sends. */
const SENT_CHAIN = "sent-chain";

/** The revocation check of one listener configuration (built with its SecureContext). */
export class RevocationCheck {
  /** CRLs by their issuer's subject as node:crypto prints it (the form of X509Certificate.issuer). */
  private readonly byIssuer = new Map<string, RevocationList[]>();
  private readonly anchorsBySubject = new Map<string, X509Certificate[]>();
  /** Per anchor: it, or a CA above it in the bundle, is revoked. */
  private readonly anchorRevoked = new Map<X509Certificate, boolean>();
  /** By the leaf's sha256Hex: revoked or not, or SENT_CHAIN; by leaf + sent chain for the latter. */
  private readonly verdicts = new Map<string, boolean | typeof SENT_CHAIN>();

  private constructor(anchors: readonly X509Certificate[], crls: readonly RevocationList[]) {
    for (const anchor of anchors) this.anchorsBySubject.set(anchor.subject, [...(this.anchorsBySubject.get(anchor.subject) ?? []), anchor]);
    for (const crl of crls) {
      // The CRL names its issuer in lib/pki's form; the bundle CA of that name gives node's form.
      const issuer = anchors.find((anchor) => subjectOf(anchor) === crl.issuer);
      if (!issuer) continue; // uploaded to this CA, so never the case; nothing to match it against
      this.byIssuer.set(issuer.subject, [...(this.byIssuer.get(issuer.subject) ?? []), crl]);
    }
    for (const anchor of anchors) this.anchorRevoked.set(anchor, this.pathRevoked(anchor, 0));
  }

  /** null without CRLs (nothing to check). Throws ListenerLoadError for a CRL that cannot be read. */
  static build(anchors: readonly X509Certificate[], crlsDer: readonly Buffer[]): RevocationCheck | null {
    if (crlsDer.length === 0 || anchors.length === 0) return null;
    return new RevocationCheck(anchors, crlsDer.map(revocationListOf));
  }

  /**
   * Whether the verified client certificate (DER, its sha256Hex) or a CA of its chain is revoked.
   * Call only after the chain verified: the chain is read as OpenSSL built it (issuer names).
   * `sentChainOf` gives what the client sent after its leaf; called only when the leaf's issuer is not in the bundle.
   */
  isRevoked(sentChainOf: () => readonly X509Certificate[], der: Buffer, fingerprintKey: string): boolean {
    const known = this.verdicts.get(fingerprintKey);
    if (known === true || known === false) return known;
    if (known === SENT_CHAIN) return this.sentChainRevoked(sentChainOf, fingerprintKey, der);
    const leaf = new X509Certificate(der);
    const issuer = this.issuerInBundle(leaf);
    if (!issuer) {
      this.remember(fingerprintKey, SENT_CHAIN);
      return this.sentChainRevoked(sentChainOf, fingerprintKey, der, leaf);
    }
    const revoked = this.listed(leaf) || this.anchorRevoked.get(issuer) === true;
    this.remember(fingerprintKey, revoked);
    return revoked;
  }

  /**
   * The leaf was issued by a CA the client sent: walk what it sent up to the bundle. A resumed session
   * carries no chain (OpenSSL keeps only the leaf), so a walk that does not reach the bundle is judged
   * by what this leaf's full handshakes under this configuration showed: revoked if any was, and
   * revoked when none is known (fail closed; the client's next full handshake settles it).
   */
  private sentChainRevoked(sentChainOf: () => readonly X509Certificate[], fingerprintKey: string, der: Buffer, parsed?: X509Certificate): boolean {
    const chain = sentChainOf();
    const key = `${fingerprintKey}|${chain.map((cert) => cert.fingerprint256).join("|")}`;
    const known = this.verdicts.get(key);
    if (typeof known === "boolean") return known;
    const walk = this.walkSentChain(parsed ?? new X509Certificate(der), chain);
    const leafKey = `${fingerprintKey}|full-handshakes`;
    if (walk === "incomplete") return this.verdicts.get(leafKey) !== false;
    this.remember(key, walk === "revoked");
    // "Revoked" sticks: one full handshake through a revoked CA is enough to refuse its resumptions.
    if (this.verdicts.get(leafKey) !== true) this.remember(leafKey, walk === "revoked");
    return walk === "revoked";
  }

  private walkSentChain(leaf: X509Certificate, chain: readonly X509Certificate[]): "revoked" | "valid" | "incomplete" {
    if (this.listed(leaf)) return "revoked";
    for (const cert of chain) {
      const anchor = this.anchorsBySubject.get(cert.subject)?.find((a) => a.fingerprint256 === cert.fingerprint256);
      if (anchor) return this.anchorRevoked.get(anchor) === true ? "revoked" : "valid";
      if (this.listed(cert)) return "revoked";
      const issuer = this.issuerInBundle(cert);
      if (issuer) return this.anchorRevoked.get(issuer) === true ? "revoked" : "valid";
    }
    return "incomplete";
  }

  /** Listed by the CRL in force of its issuer. */
  private listed(cert: X509Certificate): boolean {
    const crls = this.byIssuer.get(cert.issuer);
    if (!crls) return false;
    for (const crl of crls) if (crl.serials.has(cert.serialNumber)) return true;
    return false;
  }

  /** The bundle CA that issued `cert` (name and key identifier), if any; never `cert` itself. */
  private issuerInBundle(cert: X509Certificate): X509Certificate | undefined {
    return this.anchorsBySubject.get(cert.issuer)?.find((candidate) => candidate.fingerprint256 !== cert.fingerprint256 && cert.checkIssued(candidate));
  }

  private pathRevoked(anchor: X509Certificate, depth: number): boolean {
    if (this.listed(anchor)) return true;
    if (depth >= 10 || anchor.subject === anchor.issuer) return false;
    const parent = this.issuerInBundle(anchor);
    return parent ? this.pathRevoked(parent, depth + 1) : false;
  }

  private remember(key: string, verdict: boolean | typeof SENT_CHAIN): void {
    if (this.verdicts.size >= MAX_VERDICTS) {
      const oldest = this.verdicts.keys().next().value;
      if (oldest !== undefined) this.verdicts.delete(oldest);
    }
    this.verdicts.set(key, verdict);
  }
}

function subjectOf(cert: X509Certificate): string | null {
  try {
    return parseCertificate(cert.raw).subject;
  } catch {
    return null;
  }
}

