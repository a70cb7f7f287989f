// What the endpoint knows about a client certificate, computed once per distinct certificate.
// A busy listener sees the same few client certificates over and over, so everything derived
// from one (summary, log entry, echo headers, validity, EKU) is cached by its SHA-256 fingerprint
// and the handshake path only pays for a map lookup.
import { X509Certificate } from "node:crypto";
import { sha256Hex } from "../pki/fingerprint";
import type { ConnectionRecord, PeerCertificateSummary } from "./types";

const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";

/** The echo headers an application behind the load balancer would receive about the client. */
export interface ClientCertHeaders {
  "X-Client-Cert-Subject": string;
  "X-Client-Cert-Issuer": string;
  "X-Client-Cert-Serial": string;
  "X-Client-Cert-Fingerprint-SHA256": string;
  "X-Client-Cert-Not-Before": string;
  "X-Client-Cert-Not-After": string;
  "X-Client-Cert-Verify": string;
}

export interface PeerInfo {
  /** SHA-256 of the DER, lowercase hex (sha256Hex): the cache key and the pin lookup key. */
  readonly fingerprintKey: string;
  readonly summary: PeerCertificateSummary;
  /** Shared (frozen) object put in every connection record for this certificate. */
  readonly logEntry: NonNullable<ConnectionRecord["clientCertificate"]>;
  readonly headers: ClientCertHeaders;
  /** RFC 9440 Client-Cert: the DER as presented, as an sf-binary (":base64:"). */
  readonly clientCertField: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** false only when an EKU extension is present and does not name clientAuth (no EKU = allowed). */
  readonly ekuAllowsClientAuth: boolean;
  /** The DER, base64: what the connection log stores for the impact preview (endpoint.ts presentedBytes). */
  readonly derBase64: string;
  /** When this process last attached the bytes to a record (0: never). Mutable on purpose: one per certificate. */
  announcedAtMs: number;
}

/** Headers when no certificate was asked for (client auth off, or a plain HTTP listener). */
export const NO_CLIENT_CERT_HEADERS: ClientCertHeaders = Object.freeze({
  "X-Client-Cert-Subject": "",
  "X-Client-Cert-Issuer": "",
  "X-Client-Cert-Serial": "",
  "X-Client-Cert-Fingerprint-SHA256": "",
  "X-Client-Cert-Not-Before": "",
  "X-Client-Cert-Not-After": "",
  "X-Client-Cert-Verify": "NONE",
});

/**
 * OpenSSL prints a name one RDN per line, most general first, values already escaped per
 * RFC 2253/4514 (ASN1_STRFLGS_ESC_2253) and multi-valued RDNs joined by " + ".
 * RFC 4514 wants most specific first, joined by ",".
 */
export function toRfc4514(opensslMultiline: string): string {
  return opensslMultiline
    .split("\n")
    .filter((line) => line.length > 0)
    .reverse()
    .map((rdn) => rdn.replace(/ \+ /g, "+"))
    .join(",");
}

/** The default describePeer: node:crypto only, formats shared with the API (see docs/api.md). */
export function describePeerCertificate(der: Buffer): PeerCertificateSummary {
  return summarize(new X509Certificate(der));
}

function summarize(cert: X509Certificate): PeerCertificateSummary {
  return {
    subject: toRfc4514(cert.subject),
    issuer: toRfc4514(cert.issuer),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprintSha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** Whether the certificate's EKU (if any) permits TLS client authentication. */
export function ekuAllowsClientAuth(cert: X509Certificate): boolean {
  // X509Certificate.keyUsage is the list of EKU OIDs, undefined when the extension is absent.
  const eku = cert.keyUsage as string[] | undefined;
  return eku === undefined || eku.includes(CLIENT_AUTH_OID);
}

const MAX_CACHED = 10_000;

export class PeerCache {
  private readonly byFingerprint = new Map<string, PeerInfo>();

  constructor(private readonly describe?: (der: Buffer) => PeerCertificateSummary) {}

  /**
   * The info for a presented certificate, by its sha256Hex and its DER. The DER is parsed only on
   * a miss (unless the caller parsed it already): parsing costs ~150 µs on OpenSSL 3.0, a map lookup nothing.
   */
  get(fingerprintKey: string, der: Buffer, parsed?: X509Certificate): PeerInfo {
    const hit = this.byFingerprint.get(fingerprintKey);
    if (hit) return hit;
    const cert = parsed ?? new X509Certificate(der);
    // Key by what we computed ourselves, so a caller's key can never alias another certificate.
    const key = sha256Hex(cert.raw);
    const info = this.byFingerprint.get(key) ?? this.build(cert, key);
    if (this.byFingerprint.size >= MAX_CACHED) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = this.byFingerprint.keys().next().value;
      if (oldest !== undefined) this.byFingerprint.delete(oldest);
    }
    this.byFingerprint.set(key, info);
    return info;
  }

  private build(cert: X509Certificate, fingerprintKey: string): PeerInfo {
    let summary: PeerCertificateSummary;
    try {
      summary = this.describe ? this.describe(cert.raw) : summarize(cert);
    } catch {
      // A faulty custom describer must not turn into a refused (or crashed) connection.
      summary = summarize(cert);
    }
    summary = Object.freeze({ ...summary });
    const logEntry = Object.freeze({
      subject: summary.subject,
      issuer: summary.issuer,
      fingerprintSha256: summary.fingerprintSha256,
    });
    const headers: ClientCertHeaders = Object.freeze({
      "X-Client-Cert-Subject": encodeURIComponent(summary.subject),
      "X-Client-Cert-Issuer": encodeURIComponent(summary.issuer),
      "X-Client-Cert-Serial": encodeURIComponent(summary.serialNumber),
      "X-Client-Cert-Fingerprint-SHA256": encodeURIComponent(summary.fingerprintSha256),
      "X-Client-Cert-Not-Before": encodeURIComponent(summary.notBefore),
      "X-Client-Cert-Not-After": encodeURIComponent(summary.notAfter),
      "X-Client-Cert-Verify": "SUCCESS",
    });
    const derBase64 = cert.raw.toString("base64");
    return {
      fingerprintKey,
      summary,
      logEntry,
      headers,
      clientCertField: `:${derBase64}:`,
      // Validity is taken from the certificate itself, never from the (replaceable) summary.
      notBeforeMs: Date.parse(cert.validFrom),
      notAfterMs: Date.parse(cert.validTo),
      ekuAllowsClientAuth: ekuAllowsClientAuth(cert),
      derBase64,
      announcedAtMs: 0,
    };
  }
}
