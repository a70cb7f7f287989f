// Decides, right after the handshake, whether a client certificate passes the listener's policy.
//
// OpenSSL's verify step runs during the handshake, but Node's verify callback never fails it
// (only a missing certificate does, with requestCert + rejectUnauthorized), so the refusal is
// ours: the client gets a 403 naming the reason (refusal.ts). What Node 20 / OpenSSL 3.0 report, seen on
// real handshakes (see verify-client.test.ts):
//   client signed by another CA (leaf only)      -> UNABLE_TO_GET_ISSUER_CERT_LOCALLY
//   client that also sends an untrusted root     -> SELF_SIGNED_CERT_IN_CHAIN
//   self-signed client                           -> DEPTH_ZERO_SELF_SIGNED_CERT
//   expired / not yet valid                      -> CERT_HAS_EXPIRED / CERT_NOT_YET_VALID
//   EKU serverAuth only (or KU without digitalSignature) -> INVALID_PURPOSE
//   no EKU at all                                -> no error (allowed, as TLS stacks do)
// OpenSSL keeps only the LAST error of the chain walk, and time checks run last, so an expired
// certificate from an unknown CA reports CERT_HAS_EXPIRED; the issuer is re-checked here in that
// case so the log says untrusted_issuer.
//
// The presented certificate is read by presentedCertificateDer() (peer-certificate.ts: why not
// getPeerCertificate() or getPeerX509Certificate() on this path).
import { X509Certificate } from "node:crypto";
import type tls from "node:tls";
import { sha256Hex } from "../pki/fingerprint";
import { presentedCertificateDer } from "./peer-certificate";
import type { PeerCache, PeerInfo } from "./peer-summary";
import type { ClientPolicy } from "./secure-context";
import type { ConnectionReason } from "./types";

export interface ClientDecision {
  readonly reason: ConnectionReason;
  /** The presented certificate, when there was one (logged for refusals too). */
  readonly peer: PeerInfo | null;
}

const REASON_BY_VERIFY_CODE: Readonly<Record<string, ConnectionReason>> = {
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "not_yet_valid",
  INVALID_PURPOSE: "bad_key_usage",
  // Not produced by OpenSSL 3.0's chain verification today; mapped in case a build reports them.
  UNSUPPORTED_CERTIFICATE_PURPOSE: "bad_key_usage",
  KEYUSAGE_NO_DIGITAL_SIGNATURE: "bad_key_usage",
};

/** Maps an OpenSSL verify code (Node's authorizationError) to the reason shown in the log. */
export function reasonForVerifyCode(code: string): ConnectionReason {
  // Everything else (no issuer, self-signed, bad signature, invalid CA, path length, ...) means
  // the chain does not lead to an anchor of the listener.
  return REASON_BY_VERIFY_CODE[code] ?? "untrusted_issuer";
}

type VerifyHandle = { verifyError?: () => (Error & { code?: string }) | null };

/**
 * OpenSSL's verify result for this connection (null = chain verified).
 * A TLSSocket made outside tls.Server never gets `authorized`/`authorizationError` set (Node
 * computes them in tls.Server's own 'secure' listener from the same handle call), so read it
 * the way Node does. Fails closed if this internal ever disappears.
 */
export function opensslVerifyError(socket: tls.TLSSocket): string | null {
  const handle = (socket as unknown as { _handle?: VerifyHandle | null })._handle;
  if (!handle || typeof handle.verifyError !== "function") return "UNABLE_TO_READ_VERIFY_RESULT";
  const error = handle.verifyError();
  return error ? (error.code ?? error.message ?? "UNKNOWN") : null;
}

export function decideClient(
  socket: tls.TLSSocket,
  policy: ClientPolicy,
  peers: PeerCache,
  now: number = Date.now(),
): ClientDecision {
  if (policy.anchors.length > 0) {
    const code = opensslVerifyError(socket);
    if (code !== null) return refusedByChainCheck(socket, code, policy.anchors, peers);
  }

  const der = presentedCertificateDer(socket);
  // requestCert + rejectUnauthorized already failed handshakes without a certificate; this only
  // guards against surprises (e.g. a resumed session that carried none).
  if (!der) return { reason: "no_certificate", peer: null };
  const peer = peers.get(sha256Hex(der), der);

  if (policy.pins.size > 0) {
    const pinned = policy.pins.get(peer.fingerprintKey);
    // The fingerprint narrows the candidates; the decision is the byte-for-byte comparison.
    if (!pinned || !pinned.equals(der)) return { reason: "not_pinned", peer };
  }

  // The leaf's own checks. With anchors OpenSSL did them already; with pins only nobody did.
  if (now < peer.notBeforeMs) return { reason: "not_yet_valid", peer };
  if (now > peer.notAfterMs) return { reason: "expired", peer };
  if (!peer.ekuAllowsClientAuth) return { reason: "bad_key_usage", peer };
  // Last: only a chain OpenSSL verified is looked up (revocation.ts; O(1), cached per certificate).
  if (policy.revocation?.isRevoked(socket, der, peer.fingerprintKey)) return { reason: "revoked", peer };
  return { reason: "ok", peer };
}

/**
 * OpenSSL refused the chain: the reason, with the issuer re-checked when OpenSSL reported a later
 * fault (it keeps only the last error). The detailed read links the chain the client sent.
 */
function refusedByChainCheck(socket: tls.TLSSocket, code: string, anchors: readonly X509Certificate[], peers: PeerCache): ClientDecision {
  const presented = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate;
  if (!presented || !presented.raw) return { reason: "no_certificate", peer: null };
  const peer = peers.get(sha256Hex(presented.raw), presented.raw);
  let reason = reasonForVerifyCode(code);
  if (reason !== "untrusted_issuer" && !chainsToAnchor(presented, anchors)) reason = "untrusted_issuer";
  return { reason, peer };
}

/**
 * Whether the presented certificate leads, through the certificates the client sent, to one of
 * the anchors by issuer name and signature (ignoring validity and purpose). Only used on the
 * refusal path to pick the most truthful reason, never to accept.
 */
export function chainsToAnchor(presented: tls.DetailedPeerCertificate, anchors: readonly X509Certificate[]): boolean {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(presented.raw);
  } catch {
    return false;
  }
  const sent = sentIntermediates(presented, leaf);
  const visited = new Set<string>();
  let current: X509Certificate | undefined = leaf;
  for (let depth = 0; current && depth < 10; depth++) {
    const here: X509Certificate = current;
    visited.add(here.fingerprint256);
    for (const anchor of anchors) {
      if (anchor.fingerprint256 === here.fingerprint256) return true;
      if (issuedBy(here, anchor)) return true;
    }
    current = sent.find((candidate) => !visited.has(candidate.fingerprint256) && issuedBy(here, candidate));
  }
  return false;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The chain the client sent (completed from our store), as getPeerCertificate(true) links it. */
function sentIntermediates(presented: tls.DetailedPeerCertificate, leaf: X509Certificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  try {
    let node: tls.DetailedPeerCertificate | undefined = presented;
    const seen = new Set<tls.DetailedPeerCertificate>();
    while (node && node.raw && !seen.has(node)) {
      seen.add(node);
      const cert = new X509Certificate(node.raw);
      if (cert.fingerprint256 !== leaf.fingerprint256) out.push(cert);
      node = node.issuerCertificate;
    }
  } catch {
    // No chain available: the leaf alone is checked against the anchors.
  }
  return out;
}
