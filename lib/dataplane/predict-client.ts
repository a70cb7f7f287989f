// What a listener's Client CA settings would do to a certificate seen on an earlier connection: the
// impact preview's verdict (lib/services/impact-preview.ts).
//
// The rules are decide()'s (verify-client.ts), the very function the handshake path runs. Only its
// first input differs: on a live connection OpenSSL has verified the chain during the handshake and
// decide() reads the result; here there is no handshake (and no client key), and Node 20 exposes no
// X509_verify_cert, so opensslChainVerdict() below works out the code OpenSSL 3.0 gives for the
// stored leaf and the chain the client sent, under the options the endpoint uses (partial chain:
// any bundle CA is an anchor; trusted certificates first; purpose "SSL client"). Only what changes
// the reason is reproduced: whether the chain reaches an anchor, signatures, CA flags and path
// lengths, purpose, and validity, with OpenSSL's "last error wins". predict-client.test.ts runs every
// test certificate through the real endpoint and through this, and requires the same reason.
import { X509Certificate } from "node:crypto";
import type { ParsedExtensions } from "../pki/extensions";
import { parseCertificate } from "../pki/parse-certificate";
import type { PeerCache } from "./peer-summary";
import type { ClientPolicy } from "./secure-context";
import type { ConnectionOutcome, ConnectionReason } from "./types";
import { sha256Hex } from "../pki/fingerprint";
import { decide, outcomeOf, type ClientJudging, type PresentedClient } from "./verify-client";

/** A certificate from the connection log: its DER and what the client sent after it. */
export interface StoredPresentation {
  readonly der: Buffer;
  readonly chain: readonly Buffer[];
}

const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
const MAX_DEPTH = 10;

/** The verdict for a stored certificate (null: a client that presented none) under a policy and mode. */
export function predictClient(
  stored: StoredPresentation | null,
  judging: ClientJudging,
  policy: ClientPolicy | null,
  peers: PeerCache,
  now: number = Date.now(),
): { reason: ConnectionReason; outcome: ConnectionOutcome } {
  // Client CA off: nothing is judged (endpoint.ts observeClient).
  if (!policy) return { reason: stored ? "not_checked" : "ok", outcome: "accepted" };
  // Parsed once (a parse, ~160 µs, costs more than the rest of the decision): the chain check uses it,
  // and the decision's PeerCache gets it rather than parsing the same bytes again.
  let leaf: X509Certificate | null = null;
  if (stored) {
    const fingerprintKey = sha256Hex(stored.der);
    leaf = parsedLeaf(fingerprintKey, stored.der);
    peers.get(fingerprintKey, stored.der, leaf);
  }
  const reason = decide(storedPresentation(stored, leaf, policy.anchors, now), policy, peers, now).reason;
  return { reason, outcome: outcomeOf(reason, judging) };
}

/**
 * The parsed certificate for these bytes, kept across previews by its SHA-256 (`key`, sha256Hex): the Edit dialog asks
 * again on every change of a setting, about the same clients. Bounded like the log of a busy listener.
 */
function parsedLeaf(key: string, der: Buffer): X509Certificate {
  let leaf = leaves.get(key);
  if (leaf) {
    // Most recently used last, so the oldest is the one dropped.
    leaves.delete(key);
  } else {
    leaf = new X509Certificate(der);
    if (leaves.size >= MAX_LEAVES) leaves.delete(leaves.keys().next().value!);
  }
  leaves.set(key, leaf);
  return leaf;
}

const leaves = new Map<string, X509Certificate>();
const MAX_LEAVES = 10_000;

function storedPresentation(stored: StoredPresentation | null, leaf: X509Certificate | null, anchors: readonly X509Certificate[], now: number): PresentedClient {
  let sent: X509Certificate[] | undefined;
  const sentChain = () => (sent ??= parseAll(stored?.chain ?? []));
  return {
    der: () => stored?.der ?? null,
    chainVerdict: () => (leaf ? opensslChainVerdict(leaf, sentChain(), anchors, now) : "NO_PEER_CERTIFICATE"),
    sentChain,
  };
}

/** Extensions worked out once per object: the anchors (and a client's CAs) come up for every client of a preview. */
const extensions = new WeakMap<X509Certificate, ParsedExtensions | null>();
const signatures = new Map<string, boolean>();
/** Twice the log's certificates of a busy listener; a few hundred bytes each. */
const MAX_SIGNATURES = 20_000;

function parseAll(ders: readonly Buffer[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(new X509Certificate(der));
    } catch {
      // A certificate that cannot be read is one the client might as well not have sent.
    }
  }
  return out;
}

/**
 * The code OpenSSL's X509_verify_cert reports for `leaf` sent with `sent` against `anchors` (null:
 * verified), as the endpoint's context sets it up (secure-context.ts: the anchors as the trust
 * store, allowPartialTrustChain, Node's verify callback accepting everything so every check runs
 * and the last error is what verifyError() returns).
 */
export function opensslChainVerdict(leaf: X509Certificate, sent: readonly X509Certificate[], anchors: readonly X509Certificate[], now: number): string | null {
  const chain = buildChain(leaf, sent, anchors);
  if (!chain.trusted) {
    const top = chain.certs[chain.certs.length - 1];
    if (isSelfSigned(top)) return chain.certs.length === 1 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN";
    return "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
  }

  let last: string | null = null;
  // check_chain: CA flags, path lengths and purpose, leaf first.
  const certs = chain.certs;
  for (let depth = 0; depth < certs.length; depth++) {
    const cert = certs[depth];
    if (depth > 0 && !cert.ca) last = "INVALID_CA";
    if (!purposeAllowsClient(cert, depth > 0)) last = "INVALID_PURPOSE";
    // pathlen counts the CAs below this one, the leaf excluded (self-issued ones aside, ignored here).
    const pathLength = depth > 0 ? pathLengthOf(cert) : undefined;
    if (pathLength !== undefined && depth - 1 > pathLength) last = "PATH_LENGTH_EXCEEDED";
  }
  // internal_verify: top down, each signature by the certificate above it, then its validity.
  for (let depth = certs.length - 1; depth >= 0; depth--) {
    const cert = certs[depth];
    const issuer = certs[depth + 1];
    if (issuer && !signedBy(cert, issuer)) last = "CERT_SIGNATURE_FAILURE";
    if (now < Date.parse(cert.validFrom)) last = "CERT_NOT_YET_VALID";
    else if (now > Date.parse(cert.validTo)) last = "CERT_HAS_EXPIRED";
  }
  return last;
}

/**
 * OpenSSL 3.0's build_chain, trusted first: the issuer is looked up among the anchors, then among
 * what the client sent. Once an anchor is reached the chain still climbs through the anchors (a
 * bundle holding an intermediate and its root yields both, and both are checked).
 */
function buildChain(leaf: X509Certificate, sent: readonly X509Certificate[], anchors: readonly X509Certificate[]): { certs: X509Certificate[]; trusted: boolean } {
  const certs = [leaf];
  const inChain = new Set([leaf.fingerprint256]);
  // Partial chain: the leaf itself in the trust store is trusted.
  let trusted = anchors.some((anchor) => anchor.fingerprint256 === leaf.fingerprint256);
  let current = leaf;
  while (certs.length < MAX_DEPTH && !isSelfSigned(current)) {
    const fromAnchors = anchors.find((anchor) => !inChain.has(anchor.fingerprint256) && current.checkIssued(anchor));
    const next = fromAnchors ?? (trusted ? undefined : sent.find((cert) => !inChain.has(cert.fingerprint256) && current.checkIssued(cert)));
    if (!next) break;
    if (fromAnchors) trusted = true;
    certs.push(next);
    inChain.add(next.fingerprint256);
    current = next;
  }
  return { certs, trusted };
}

function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.checkIssued(cert) && signedBy(cert, cert);
}

/**
 * Whether `issuer`'s key signed `cert`, remembered by the two fingerprints: a signature never changes,
 * and a preview checks the same few hundred certificates against the same CAs every time it runs.
 */
function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  const key = `${cert.fingerprint256}>${issuer.fingerprint256}`;
  let known = signatures.get(key);
  if (known === undefined) {
    try {
      known = cert.verify(issuer.publicKey);
    } catch {
      known = false;
    }
    if (signatures.size >= MAX_SIGNATURES) signatures.delete(signatures.keys().next().value!);
    signatures.set(key, known);
  }
  return known;
}

/**
 * X509_check_purpose(X509_PURPOSE_SSL_CLIENT): an EKU, when present, must name clientAuth (CAs
 * included); a leaf's key usage, when present, must allow digitalSignature or keyAgreement.
 */
function purposeAllowsClient(cert: X509Certificate, isCa: boolean): boolean {
  const eku = cert.keyUsage as string[] | undefined;
  if (eku !== undefined && !eku.includes(CLIENT_AUTH_OID)) return false;
  if (isCa) return true;
  const keyUsage = extensionsOf(cert)?.keyUsage ?? [];
  return keyUsage.length === 0 || keyUsage.includes("digitalSignature") || keyUsage.includes("keyAgreement");
}

/** basicConstraints pathLenConstraint of a CA, undefined when there is none. */
function pathLengthOf(cert: X509Certificate): number | undefined {
  return extensionsOf(cert)?.basicConstraints?.pathLength ?? undefined;
}

function extensionsOf(cert: X509Certificate): ParsedExtensions | null {
  if (extensions.has(cert)) return extensions.get(cert)!;
  let parsed: ParsedExtensions | null;
  try {
    parsed = parseCertificate(cert.raw).extensions;
  } catch {
    parsed = null; // node:crypto read it, so OpenSSL would have; lib/pki is stricter about oddities
  }
  extensions.set(cert, parsed);
  return parsed;
}
