// The data plane's public contract. The glue layer (stored listeners -> configs) and the
// console code against exactly these shapes, so keep them stable and plain (JSON-friendly).

/**
 * Why a connection was accepted or refused; the values the connection log and the API show.
 * The one list: the API schema, the console's labels and the refusal bodies are derived from it.
 */
export const CONNECTION_REASONS = [
  "ok",
  // Client CA off: the certificate a client offered was logged (for the impact preview), never judged.
  "not_checked",
  "no_certificate",
  "untrusted_issuer",
  "expired",
  "not_yet_valid",
  "not_pinned",
  "bad_key_usage",
  "revoked",
  "tls_error",
] as const;
export type ConnectionReason = (typeof CONNECTION_REASONS)[number];
/** Every reason but "ok": why a client was refused. */
export type RefusalReason = Exclude<ConnectionReason, "ok" | "not_checked">;

/**
 * `required`: a client without a certificate that passes is refused (403 naming the reason).
 * `optional`: the certificate is asked for and verified the same way, nobody is refused for it,
 * and the verdict is passed on (the echo's X-Client-Cert-Verify), like nginx's `ssl_verify_client optional`.
 * `report`: as optional on the wire (everyone is let in, the verdict passed on), but a connection that
 * `required` would refuse is logged with outcome "would_reject": a rollout's dry run.
 */
export const CLIENT_AUTH_MODES = ["required", "optional", "report"] as const;
export type ClientAuthMode = (typeof CLIENT_AUTH_MODES)[number];

export interface ClientAuthRuntime {
  enabled: boolean;
  /** Absent = "required" (what every listener did before modes existed). */
  mode?: ClientAuthMode;
  /** Trust anchors, PEM (a string may hold several certificates). May be intermediates. */
  caCertificatesPem: string[];
  /** Client certificates the presented one must equal byte for byte (DER). */
  pinnedCertificatesDer: Buffer[];
  /**
   * The certificate revocation lists in force for the Client CA (DER, the newest per issuer, each
   * already checked at upload: signed by a CA of the bundle, well-formed, not from the future).
   * A client whose certificate, or a CA of its chain, is listed is refused with reason "revoked"
   * (FAILED:revoked in optional mode). Absent or empty: no revocation checking.
   */
  crlsDer?: Buffer[];
}

/** How a pool spreads requests over its members. */
export const POOL_ALGORITHMS = ["round_robin", "least_connections"] as const;
export type PoolAlgorithm = (typeof POOL_ALGORITHMS)[number];

export interface PoolMemberRuntime {
  /** An IP address or host name. */
  address: string;
  port: number;
  /** Relative share of requests, 1..100. */
  weight: number;
}

export interface HealthCheckRuntime {
  /** The HTTP path requested from each member (GET; 2xx/3xx is healthy). */
  path: string;
  intervalSeconds: number;
  /** Consecutive successes that bring an unhealthy (or unknown) member into service. */
  healthyThreshold: number;
  /** Consecutive failures that take a member out of service. */
  unhealthyThreshold: number;
}

/** A backend pool as the data plane needs it: where to forward a listener's requests. */
export interface PoolRuntimeConfig {
  id: string;
  name: string;
  algorithm: PoolAlgorithm;
  members: PoolMemberRuntime[];
  healthCheck: HealthCheckRuntime;
}

/** A member's health as the checks see it; "unknown" until its first check settles. */
export type MemberHealth = "healthy" | "unhealthy" | "unknown";

/** The key of a member in health maps: "address:port" ("[v6]:port" for an IPv6 address). */
export function memberKey(member: Pick<PoolMemberRuntime, "address" | "port">): string {
  return member.address.includes(":") ? `[${member.address}]:${member.port}` : `${member.address}:${member.port}`;
}

export interface ListenerRuntimeConfig {
  id: string;
  name: string;
  protocol: "HTTP" | "HTTPS";
  host: string;
  port: number;
  /** null for HTTP listeners. */
  tls: null | {
    certificateChainPem: string;
    privateKeyPem: string;
    clientAuth: ClientAuthRuntime;
    /**
     * Session ticket keys (48 bytes) for this configuration; absent: fresh random ones per context.
     * The workers of one node get the same keys for one configuration and new ones for each change.
     */
    ticketKeys?: Buffer;
  };
  /** Where requests are forwarded; null or absent: the built-in echo (the test endpoint). */
  pool?: PoolRuntimeConfig | null;
}

export type EndpointState = "serving" | "stopped" | "error";

export interface EndpointStatus {
  state: EndpointState;
  /** One sentence a person can act on when state is "error"; null otherwise. */
  error: string | null;
  url: string;
  /**
   * Only in the console's view of the node registry (lib/services/reported-dataplane.ts): the
   * listener over the live data-plane nodes. Absent for a data plane the caller runs itself.
   */
  nodes?: EndpointNodesSummary;
}

/** A listener across the live nodes: "serving on 2 of 2 nodes", which node has it in error, which has not applied the newest change. */
export interface EndpointNodesSummary {
  /** Live nodes (up, heartbeat fresh). */
  live: number;
  /** Live nodes on which the listener is serving. */
  serving: number;
  errors: { nodeId: string; hostname: string; error: string }[];
  /** Live nodes that have not yet applied the newest config revision. */
  pending: { nodeId: string; hostname: string; appliedRevision: number }[];
}

export interface PeerCertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
}

/** What happened to a connection; "would_reject" only in report mode (let in, but required would refuse it). */
export const CONNECTION_OUTCOMES = ["accepted", "rejected", "would_reject"] as const;
export type ConnectionOutcome = (typeof CONNECTION_OUTCOMES)[number];

/**
 * The presented certificate as the impact preview needs it later (lib/services/impact-preview.ts):
 * its DER and the chain the client sent after it, base64. Attached to a record only when this process
 * has not announced that certificate lately (peer-summary.ts), so the log keeps one copy per certificate.
 */
export interface PresentedCertificateBytes {
  der: string;
  chain: string[];
}

export interface ConnectionRecord {
  at: string;
  remoteAddress: string;
  /**
   * "accepted" with a reason other than "ok" happens in optional mode (the client was let in
   * although its certificate was missing or failed verification for that reason) and with Client CA
   * off (a certificate is asked for, never judged: reason "ok"). "would_reject": report mode.
   */
  outcome: ConnectionOutcome;
  reason: ConnectionReason;
  tlsProtocol: string | null;
  clientCertificate: null | { subject: string; issuer: string; fingerprintSha256: string };
  /** See PresentedCertificateBytes; absent when the certificate was announced recently or none was presented. */
  presented?: PresentedCertificateBytes;
}

export interface Dataplane {
  /**
   * Reconciles running endpoints to exactly these listeners; resolves once the new configuration
   * is in force for NEW connections (bound, swapped, or failed into state "error"). Calls are
   * serialized internally. Unchanged listeners are untouched.
   *
   * A config that is the very object applied last time to a listener now serving is skipped without
   * being looked at (no key computation), so a caller that rebuilds only what changed (the loader
   * in lib/services/runtime-config-loader.ts) pays for that only. Hence: never modify a config
   * object after applying it; pass a new object for a new configuration.
   * A data plane that `readsStore` ignores `configs` and only waits for its process to catch up.
   */
  apply(configs: ListenerRuntimeConfig[]): Promise<void>;
  /**
   * True for a data plane that loads the listeners from the store itself (the console's child
   * process, or a stand-alone one it reports from): the caller then passes no configurations.
   */
  readonly readsStore?: boolean;
  /** Unknown id -> { state: "stopped", error: null, url: "" }. */
  status(listenerId: string): EndpointStatus;
  /**
   * Whether a data plane is running to serve the listeners at all (the in-process one: until
   * closed; a stand-alone one: while its report is fresh). When false every endpoint is "stopped"
   * and the console says what to start.
   */
  running(): boolean;
  /**
   * The health of each member of a pool some listener forwards to, by memberKey(); {} for a pool
   * no listener uses (nothing checks it). A stand-alone or child data plane reports it to the console.
   */
  poolHealth(poolId: string): Record<string, MemberHealth>;
  /** Open connections per listener id (for /metrics); absent where nobody counts them. */
  activeConnections?(): Record<string, number>;
  close(): Promise<void>;
}

export interface DataplaneOptions {
  /** Called for every connection, off the handshake path (batched on the next turn of the event loop). */
  onConnection?: (listenerId: string, record: ConnectionRecord) => void;
  /** Operational log lines (bind, failures). Never receives key material. */
  log?: (line: string) => void;
  /** Describes a client certificate (DER); called once per distinct certificate, the result is cached. */
  describePeer?: (der: Buffer) => PeerCertificateSummary;
  /** Called (off any request path) whenever a member's health changes, so a process can report it. */
  onPoolHealthChange?: () => void;
  /**
   * Forwarding time limits in ms (defaults: connect 5 s, response headers 60 s, body idle 60 s);
   * tests shorten them.
   */
  forwardTimeouts?: { connectMs?: number; headersMs?: number; bodyIdleMs?: number };
}
