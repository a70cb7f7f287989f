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
//
// decide() is the one implementation of the rules. The data plane feeds it a live socket; the impact
// preview (predict-client.ts) feeds it certificates stored from past connections, with the chain
// verdict OpenSSL would give computed there (Node exposes no X509_verify_cert).
import { X509Certificate } from "node:crypto";
import type tls from "node:tls";
import { sha256Hex } from "../pki/fingerprint";
import { presentedCertificateDer, sentChain } from "./peer-certificate";
import type { PeerCache, PeerInfo } from "./peer-summary";
import type { ClientPolicy } from "./secure-context";
import type { ClientAuthMode, ConnectionOutcome, ConnectionReason } from "./types";

export interface ClientDecision {
  readonly reason: ConnectionReason;
  /** The presented certificate, when there was one (logged for refusals too). */
  readonly peer: PeerInfo | null;
}

/** How a verdict becomes an outcome, from the listener's mode (judgingOf). */
export interface ClientJudging {
  /** Required mode: a client that fails is refused. */
  readonly refuseFailures: boolean;
  /** Report mode: a client that fails is let in and logged as "would_reject". */
  readonly reportOnly: boolean;
}

/** Without a policy (Client CA off) nothing fails; otherwise the mode decides (types.ts CLIENT_AUTH_MODES). */
export function judgingOf(hasPolicy: boolean, mode: ClientAuthMode | undefined): ClientJudging {
  const effective = mode ?? "required";
  return { refuseFailures: hasPolicy && effective === "required", reportOnly: hasPolicy && effective === "report" };
}

export function outcomeOf(reason: ConnectionReason, judging: ClientJudging): ConnectionOutcome {
  if (reason === "ok" || reason === "not_checked") return "accepted";
  if (judging.refuseFailures) return "rejected";
  return judging.reportOnly ? "would_reject" : "accepted";
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

/**
 * What the decision reads about a presented certificate. On the handshake path it comes from the
 * socket (socketPresentation: OpenSSL's own verify result); for the impact preview from the
 * connection log's stored certificates (lib/dataplane/predict-client.ts). The rules themselves are
 * decide()'s, the one implementation both run.
 */
export interface PresentedClient {
  /** The leaf's DER, or null when the client presented none. */
  der(): Buffer | null;
  /** OpenSSL's verify code for the chain against the policy's anchors, null when it verified. Asked only when there are anchors. */
  chainVerdict(): string | null;
  /** The certificates the client sent after its leaf (read only when a rule needs them). */
  sentChain(): readonly X509Certificate[];
}

/** A live connection, read lazily (see peer-certificate.ts for the costs). */
export function socketPresentation(socket: tls.TLSSocket): PresentedClient {
  return {
    der: () => presentedCertificateDer(socket),
    chainVerdict: () => opensslVerifyError(socket),
    sentChain: () => sentChain(socket),
  };
}

export function decideClient(socket: tls.TLSSocket, policy: ClientPolicy, peers: PeerCache, now: number = Date.now()): ClientDecision {
  return decide(socketPresentation(socket), policy, peers, now);
}

/** The listener's rules, in order: the chain (OpenSSL's verdict), pins, the leaf's own checks, revocation. */
export function decide(client: PresentedClient, policy: ClientPolicy, peers: PeerCache, now: number = Date.now()): ClientDecision {
  if (policy.anchors.length > 0) {
    const code = client.chainVerdict();
    if (code !== null) return refusedByChainCheck(client, code, policy.anchors, peers);
  }

  const der = client.der();
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
  if (policy.revocation?.isRevoked(client.sentChain, der, peer.fingerprintKey)) return { reason: "revoked", peer };
  return { reason: "ok", peer };
}

/**
 * Client CA off: nothing is judged, but the certificate a client offers (one is asked for, naming no
 * CA) is described for the log, so the impact preview knows who would pass once it is turned on.
 */
export function observeClient(socket: tls.TLSSocket, peers: PeerCache): ClientDecision {
  const der = presentedCertificateDer(socket);
  return der ? { reason: "not_checked", peer: peers.get(sha256Hex(der), der) } : { reason: "ok", peer: null };
}

/**
 * OpenSSL refused the chain: the reason, with the issuer re-checked when OpenSSL reported a later
 * fault (it keeps only the last error).
 */
function refusedByChainCheck(client: PresentedClient, code: string, anchors: readonly X509Certificate[], peers: PeerCache): ClientDecision {
  const der = client.der();
  if (!der) return { reason: "no_certificate", peer: null };
  const peer = peers.get(sha256Hex(der), der);
  let reason = reasonForVerifyCode(code);
  if (reason !== "untrusted_issuer" && !chainsToAnchor(der, client.sentChain(), anchors)) reason = "untrusted_issuer";
  return { reason, peer };
}

/**
 * Whether the presented certificate leads, through the certificates the client sent, to one of
 * the anchors by issuer name and signature (ignoring validity and purpose). Only used on the
 * refusal path to pick the most truthful reason, never to accept.
 */
export function chainsToAnchor(der: Buffer, sent: readonly X509Certificate[], anchors: readonly X509Certificate[]): boolean {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(der);
  } catch {
    return false;
  }
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

/** Issued by `issuer`: names, key identifiers and key usage as OpenSSL matches them, and the signature. */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
