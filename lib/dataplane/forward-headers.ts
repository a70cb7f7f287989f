// The headers of a forwarded request and of the answer sent back: hop-by-hop headers removed (RFC
// 9110 §7.6.1), X-Forwarded-For/-Proto/-Host and Forwarded (RFC 7239) set by us, and what the
// listener verified about the client (X-Client-Cert-*, RFC 9440 Client-Cert / Client-Cert-Chain).
// Whatever the client sent under any of those names is dropped first, in every mode and on HTTP
// listeners too: a client can never make a backend believe it presented a certificate.
import type tls from "node:tls";
import { clientCertHeaders } from "./echo";
import { sentChain } from "./peer-certificate";
import type { PeerInfo } from "./peer-summary";
import type { ConnectionReason } from "./types";

/** Removed from requests in both directions whatever Connection says (lowercase). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authorization",
  "proxy-authenticate",
]);

/** Request headers only the proxy may set: the client's copies are dropped (lowercase). */
const SET_BY_PROXY = new Set([
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "forwarded",
  "client-cert",
  "client-cert-chain",
  // node:http answers `Expect: 100-continue` itself; undici refuses to send it.
  "expect",
]);

const CLIENT_CERT_PREFIX = "x-client-cert-";

/** The tokens of the Connection header(s) (node:http joins repeated ones with ", "), lowercase. */
function connectionTokens(connection: string | undefined): Set<string> | null {
  if (!connection) return null;
  const tokens = new Set<string>();
  for (const token of connection.split(",")) {
    const name = token.trim().toLowerCase();
    if (name) tokens.add(name);
  }
  return tokens;
}

/** What the connection tells the backend, computed on its first forwarded request and kept. */
export interface ForwardIdentity {
  /** X-Forwarded-For and the `for=` of Forwarded. */
  readonly forwardedFor: string;
  readonly forNode: string;
  readonly proto: "http" | "https";
  /** X-Client-Cert-*, Client-Cert, Client-Cert-Chain as [name, value, ...]. */
  readonly certificate: readonly string[];
}

/**
 * The identity headers of a connection. `socket` (TLS only) is read for the chain the client sent
 * (sentChain(), see docs/design.md, "Forwarding").
 */
export function forwardIdentity(
  remoteAddress: string,
  socket: tls.TLSSocket | null,
  peer: PeerInfo | null,
  verdict: ConnectionReason | null,
): ForwardIdentity {
  const shown = clientCertHeaders(peer, verdict);
  const certificate: string[] = ["X-Client-Cert-Verify", shown["X-Client-Cert-Verify"]];
  // Only a presented certificate is described (nginx likewise sends no header for an empty variable).
  if (peer && shown["X-Client-Cert-Subject"] !== "") {
    certificate.push(
      "X-Client-Cert-Subject", shown["X-Client-Cert-Subject"],
      "X-Client-Cert-Issuer", shown["X-Client-Cert-Issuer"],
      "X-Client-Cert-Serial", shown["X-Client-Cert-Serial"],
      "X-Client-Cert-Fingerprint-SHA256", shown["X-Client-Cert-Fingerprint-SHA256"],
      "X-Client-Cert-Not-Before", shown["X-Client-Cert-Not-Before"],
      "X-Client-Cert-Not-After", shown["X-Client-Cert-Not-After"],
      "Client-Cert", peer.clientCertField,
    );
    const chain = socket ? sentChainField(socket) : "";
    if (chain) certificate.push("Client-Cert-Chain", chain);
  }
  const v6 = remoteAddress.includes(":");
  return {
    forwardedFor: remoteAddress,
    forNode: v6 ? `"[${remoteAddress}]"` : remoteAddress || "unknown",
    proto: socket ? "https" : "http",
    certificate: Object.freeze(certificate),
  };
}

/** RFC 9440 Client-Cert-Chain: the certificates the client sent after its leaf, as an sf-binary list; "" when none. */
export function sentChainField(socket: tls.TLSSocket): string {
  return sentChain(socket)
    .map((cert) => `:${cert.raw.toString("base64")}:`)
    .join(", ");
}

/** A value as an RFC 7239 token when it is one, else a quoted-string. */
function forwardedValue(value: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/**
 * The request headers sent to the member, as [name, value, ...]: the client's own headers (their
 * spelling and order) without hop-by-hop ones and without anything only the proxy may set, then
 * ours. `upgrade` keeps Connection: upgrade and Upgrade for a WebSocket (or other) upgrade.
 */
export function memberRequestHeaders(rawHeaders: readonly string[], connection: string | undefined, host: string | undefined, identity: ForwardIdentity, upgrade: string | null): string[] {
  const named = connectionTokens(connection);
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || SET_BY_PROXY.has(lower) || lower.startsWith(CLIENT_CERT_PREFIX)) continue;
    if (named !== null && named.has(lower)) continue;
    out.push(name, rawHeaders[i + 1]);
  }
  if (upgrade !== null) out.push("Connection", "upgrade", "Upgrade", upgrade);
  out.push("X-Forwarded-For", identity.forwardedFor, "X-Forwarded-Proto", identity.proto);
  let forwarded = `for=${identity.forNode};proto=${identity.proto}`;
  if (host !== undefined) {
    out.push("X-Forwarded-Host", host);
    forwarded += `;host=${forwardedValue(host)}`;
  }
  out.push("Forwarded", forwarded);
  for (let i = 0; i < identity.certificate.length; i++) out.push(identity.certificate[i]);
  return out;
}

/** The member's response headers for the client, as [name, value, ...], hop-by-hop ones removed. */
export function clientResponseHeaders(rawHeaders: readonly Buffer[]): string[] {
  let named: Set<string> | null = null;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === 10 && rawHeaders[i].toString("latin1").toLowerCase() === "connection") {
      named ??= new Set();
      for (const token of connectionTokens(rawHeaders[i + 1].toString("latin1")) ?? []) named.add(token);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    // latin1 keeps every byte as it came; node:http writes header strings back as latin1.
    const name = rawHeaders[i].toString("latin1");
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || (named !== null && named.has(lower))) continue;
    out.push(name, rawHeaders[i + 1].toString("latin1"));
  }
  return out;
}
