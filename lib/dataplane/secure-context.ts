// Builds, once per listener configuration, everything the handshake path needs: the OpenSSL
// SecureContext and the client policy (anchors and pins) the verifier checks against.
//
// Why tls.createSecureContext + a TLSSocket per connection rather than tls.createServer:
// on Node 20 / OpenSSL 3.0, `allowPartialTrustChain` (which lets an INTERMEDIATE CA object be the
// trust anchor) only takes effect on a context made by tls.createSecureContext; tls.createServer
// options and server.setSecureContext drop it. Owning the context also lets a configuration
// change swap one reference for new connections without touching open ones.
import { X509Certificate, constants as cryptoConstants, createHash, randomBytes } from "node:crypto";
import tls from "node:tls";
import { sha256Hex } from "../pki/fingerprint";
import { splitPemCertificates } from "../pki/pem";
import { ListenerLoadError, describeServerCredentialError } from "./error-messages";
import { RevocationCheck } from "./revocation";
import type { ClientAuthRuntime, ListenerRuntimeConfig } from "./types";
import { judgingOf, type ClientJudging } from "./verify-client";

export type TlsRuntime = NonNullable<ListenerRuntimeConfig["tls"]>;

/** TLS 1.3 suites first (AES-256 preferred, as the echo example shows), then TLS 1.2 AEAD + ECDHE only. */
export const MODERN_CIPHERS = [
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "TLS_AES_128_GCM_SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
].join(":");

/** What a verifier checks a client certificate against. */
export interface ClientPolicy {
  /** Trust anchors (may be intermediates); empty = no chain requirement (pins only). */
  readonly anchors: readonly X509Certificate[];
  /** Pinned certificates by sha256Hex of their DER, value = exact DER; empty = no pin requirement. */
  readonly pins: ReadonlyMap<string, Buffer>;
  /**
   * The Client CA's CRLs in force; null without CRLs, and for pins-only listeners (a pin names the
   * exact certificate: unpinning it is how one stops trusting it).
   */
  readonly revocation: RevocationCheck | null;
}

/**
 * refuseFailures: only in required mode. In optional and report mode, and with Client CA off, the
 * TLS layer must not insist on a certificate either (no alert 116 for a client without one). A
 * certificate is asked for in every case (see buildTlsSetup).
 */
export interface TlsSetup extends ClientJudging {
  readonly secureContext: tls.SecureContext;
  /** null when client auth is disabled. */
  readonly policy: ClientPolicy | null;
}

/**
 * The setups built during one apply(), by the configuration's content key (configKeys().content:
 * certificate, key, client auth, mode, CRLs). Listeners with identical TLS settings share one
 * context (one key parse, one CA store, one ticket key) instead of each building its own: 200
 * such listeners start in a fraction of the time and memory. Sharing is harmless because every
 * input of the decision is in the key: a session made on one of them resumes on another only
 * under the very same policy, and is judged again there. The map lives for one apply only, so a
 * configuration that comes back after a change still gets a fresh context: no session outlives a change.
 */
export type TlsSetupsOfApply = Map<string, TlsSetup>;

/** Every certificate in a PEM text, parsed; throws when there is none or one is unreadable. */
function parsePemCertificates(pem: string, what: string): X509Certificate[] {
  const blocks = typeof pem === "string" ? splitPemCertificates(pem) : [];
  if (blocks.length === 0) {
    throw new ListenerLoadError(`The ${what} holds no PEM certificate; upload it again.`);
  }
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ListenerLoadError(`The ${what} holds a certificate that cannot be read; upload it again.`);
    }
  });
}

function parsePins(ders: Buffer[]): Map<string, Buffer> {
  const pins = new Map<string, Buffer>();
  for (const der of ders) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      throw new ListenerLoadError("A trusted client certificate of this listener cannot be read; upload it again.");
    }
    // Keep our own copy of the canonical bytes so a caller reusing its Buffer cannot change a pin.
    pins.set(sha256Hex(cert.raw), Buffer.from(cert.raw));
  }
  return pins;
}

/**
 * The session ticket keys and session id context: given keys (the workers of one node share them
 * for one configuration, so a session resumes whichever worker takes the connection) with an id
 * context derived from them, or fresh random ones.
 */
function sessionKeys(ticketKeys: Buffer | undefined): { ticketKeys: Buffer; sessionIdContext: string } {
  if (ticketKeys && ticketKeys.length === 48) {
    return { ticketKeys, sessionIdContext: createHash("sha256").update("certgate-session-id-context\0").update(ticketKeys).digest("hex").slice(0, 32) };
  }
  return { ticketKeys: randomBytes(48), sessionIdContext: randomBytes(16).toString("hex") };
}

/**
 * Every HTTPS listener asks clients for a certificate. With Client CA off the request names no CA
 * and the answer is never judged (like nginx's `ssl_verify_client optional_no_ca`): it is only
 * described in the connection log, so the impact preview can say who would pass once Client CA is
 * turned on (docs/design.md "Impact preview"). A client without a certificate answers with an empty
 * one and is served as before.
 *
 * Builds a fresh context. Every call gets its own session-ticket keys and session id context,
 * so a TLS session (1.2 id or ticket, 1.3 ticket) made under one configuration can never be
 * resumed under another: without that, a client that connected while Client CA was off could
 * resume its way past it once it is on (verified in dataplane.test.ts).
 */
export function buildTlsSetup(runtime: TlsRuntime): TlsSetup {
  parsePemCertificates(runtime.certificateChainPem, "listener's server certificate");
  if (!runtime.privateKeyPem || !runtime.privateKeyPem.includes("PRIVATE KEY")) {
    throw new ListenerLoadError("The listener's server certificate has no private key; upload the certificate with its key.");
  }

  const clientAuth = runtime.clientAuth;
  const policy = buildClientPolicy(clientAuth);
  // One PEM per anchor: OpenSSL both trusts them and lists their names in the CertificateRequest,
  // which helps clients (browsers) pick the right certificate. With pins only (or Client CA off) we
  // pass no `ca`, so the request names no authority and any certificate may be offered.
  const caPems = policy && policy.anchors.length > 0 ? policy.anchors.map((cert) => cert.toString()) : undefined;

  let secureContext: tls.SecureContext;
  try {
    secureContext = tls.createSecureContext({
      cert: runtime.certificateChainPem,
      key: runtime.privateKeyPem,
      ca: caPems,
      allowPartialTrustChain: caPems !== undefined,
      minVersion: "TLSv1.2",
      ciphers: MODERN_CIPHERS,
      honorCipherOrder: true,
      // A TLS 1.2 renegotiation could swap the client certificate after we verified it.
      secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
      ...sessionKeys(runtime.ticketKeys),
    });
  } catch (error) {
    throw new ListenerLoadError(describeServerCredentialError(error));
  }
  return { secureContext, ...judgingOf(policy !== null, clientAuth?.mode), policy };
}

/**
 * What client certificates are checked against: null with Client CA off. Throws ListenerLoadError for
 * settings no endpoint can serve. The endpoint and the impact preview both build it here.
 */
export function buildClientPolicy(clientAuth: ClientAuthRuntime | undefined): ClientPolicy | null {
  if (!clientAuth?.enabled) return null;
  const anchors = (clientAuth.caCertificatesPem ?? []).flatMap((pem) => parsePemCertificates(pem, "Client CA certificate"));
  const pins = parsePins(clientAuth.pinnedCertificatesDer ?? []);
  if (anchors.length === 0 && pins.size === 0) {
    // Fail closed and visibly rather than serve a listener that asks for certificates it cannot judge.
    throw new ListenerLoadError(
      "Client CA is enabled but neither a CA certificate nor a trusted client certificate is set; pick one in Advanced Settings.",
    );
  }
  return { anchors, pins, revocation: RevocationCheck.build(anchors, clientAuth.crlsDer ?? []) };
}
