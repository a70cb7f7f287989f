// The data plane's public contract. The glue layer (stored listeners -> configs) and the
// console code against exactly these shapes, so keep them stable and plain (JSON-friendly).

/**
 * Why a connection was accepted or refused; the values the connection log and the API show.
 * The one list: the API schema, the console's labels and the refusal bodies are derived from it.
 */
export const CONNECTION_REASONS = [
  "ok",
  "no_certificate",
  "untrusted_issuer",
  "expired",
  "not_yet_valid",
  "not_pinned",
  "bad_key_usage",
  "tls_error",
] as const;
export type ConnectionReason = (typeof CONNECTION_REASONS)[number];
/** Every reason but "ok": why a client was refused. */
export type RefusalReason = Exclude<ConnectionReason, "ok">;

/**
 * `required`: a client without a certificate that passes is refused (403 naming the reason).
 * `optional`: the certificate is asked for and verified the same way, nobody is refused for it,
 * and the verdict is passed on (the echo's X-Client-Cert-Verify), like nginx's `ssl_verify_client optional`.
 */
export const CLIENT_AUTH_MODES = ["required", "optional"] as const;
export type ClientAuthMode = (typeof CLIENT_AUTH_MODES)[number];

export interface ClientAuthRuntime {
  enabled: boolean;
  /** Absent = "required" (what every listener did before modes existed). */
  mode?: ClientAuthMode;
  /** Trust anchors, PEM (a string may hold several certificates). May be intermediates. */
  caCertificatesPem: string[];
  /** Client certificates the presented one must equal byte for byte (DER). */
  pinnedCertificatesDer: Buffer[];
}

export interface ListenerRuntimeConfig {
  id: string;
  name: string;
  protocol: "HTTP" | "HTTPS";
  host: string;
  port: number;
  /** null for HTTP listeners. */
  tls: null | { certificateChainPem: string; privateKeyPem: string; clientAuth: ClientAuthRuntime };
}

export type EndpointState = "serving" | "stopped" | "error";

export interface EndpointStatus {
  state: EndpointState;
  /** One sentence a person can act on when state is "error"; null otherwise. */
  error: string | null;
  url: string;
}

export interface PeerCertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
}

export interface ConnectionRecord {
  at: string;
  remoteAddress: string;
  /**
   * "accepted" with a reason other than "ok" happens in optional mode only: the client was let in
   * although its certificate was missing or failed verification for that reason.
   */
  outcome: "accepted" | "rejected";
  reason: ConnectionReason;
  tlsProtocol: string | null;
  clientCertificate: null | { subject: string; issuer: string; fingerprintSha256: string };
}

export interface Dataplane {
  /**
   * Reconciles running endpoints to exactly these listeners; resolves once the new configuration
   * is in force for NEW connections (bound, swapped, or failed into state "error"). Calls are
   * serialized internally. Unchanged listeners are untouched.
   */
  apply(configs: ListenerRuntimeConfig[]): Promise<void>;
  /** Unknown id -> { state: "stopped", error: null, url: "" }. */
  status(listenerId: string): EndpointStatus;
  /**
   * Whether a data plane is running to serve the listeners at all (the in-process one: until
   * closed; a stand-alone one: while its report is fresh). When false every endpoint is "stopped"
   * and the console says what to start.
   */
  running(): boolean;
  close(): Promise<void>;
}

export interface DataplaneOptions {
  /** Called for every connection, off the handshake path (batched on the next turn of the event loop). */
  onConnection?: (listenerId: string, record: ConnectionRecord) => void;
  /** Operational log lines (bind, failures). Never receives key material. */
  log?: (line: string) => void;
  /** Describes a client certificate (DER); called once per distinct certificate, the result is cached. */
  describePeer?: (der: Buffer) => PeerCertificateSummary;
}
