// Table types for Kysely. Both dialects store the same shapes: text ids, ISO-8601 text
// timestamps and 0/1 integers for flags, so one set of queries serves SQLite and PostgreSQL.
import "server-only";
import type { Generated } from "kysely";
import type { ClientAuthMode, ConnectionOutcome, PoolAlgorithm } from "../dataplane/types";

export interface CertificatesTable {
  id: string;
  name: string;
  kind: "ca" | "client" | "server";
  /** SHA-256 of the first certificate's canonical DER. */
  fingerprint_sha256: string;
  /** SHA-256 over the sorted fingerprints of every certificate the object holds: duplicate detection. */
  content_digest: string;
  certificate_count: number;
  /** The public certificate(s), PEM. */
  pem: string;
  /** JSON of the first certificate's CertificateDetails plus upload warnings. */
  details_json: string;
  /** AES-256-GCM sealed PKCS#8 PEM; only server certificates have one. */
  private_key_sealed: string | null;
  created_at: string;
}

export interface LoadBalancersTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ListenersTable {
  id: string;
  load_balancer_id: string;
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
  certificate_id: string | null;
  client_auth_enabled: number;
  /** clientAuth.mode: "required" | "optional" (docs/api.md); "required" for listeners made before modes. */
  client_auth_mode: ClientAuthMode;
  client_ca_certificate_id: string | null;
  /** Where requests are forwarded (pools.id); null: the built-in echo. */
  default_pool_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PoolsTable {
  id: string;
  load_balancer_id: string;
  name: string;
  algorithm: PoolAlgorithm;
  /** JSON of PoolMemberRuntime[] ({ address, port, weight }), in the order they were given. */
  members_json: string;
  health_check_path: string;
  health_check_interval_seconds: number;
  health_check_healthy_threshold: number;
  health_check_unhealthy_threshold: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ListenerTrustedCertificatesTable {
  listener_id: string;
  certificate_id: string;
  position: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor: string;
  actor_via: string | null;
  action: string;
  target_type: string;
  target_id: string;
  target_name: string;
  details_json: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** One TLS/TCP connection an endpoint accepted or refused (docs/api.md "Logs"); bounded per listener. */
export interface ConnectionEventsTable {
  /** Increasing: orders the log (newest first) and is the pagination cursor. */
  id: Generated<number>;
  listener_id: string;
  at: string;
  remote_address: string;
  outcome: ConnectionOutcome;
  reason: string;
  tls_protocol: string | null;
  /** The presented client certificate, when there was one; all three set or all null. */
  client_subject: string | null;
  client_issuer: string | null;
  client_fingerprint_sha256: string | null;
}

/** A client certificate the connection log refers to (by client_fingerprint_sha256), kept for the impact preview. */
export interface PresentedCertificatesTable {
  fingerprint_sha256: string;
  der: Buffer;
  /** JSON array of the base64 DER of the certificates the client sent after the leaf. */
  chain_json: string;
  stored_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  /** username lower-cased: what uniqueness and sign-in compare. */
  username_key: string;
  /** lib/auth/passwords.ts format: scrypt parameters, salt and hash. */
  password_hash: string;
  role: "admin" | "operator" | "viewer";
  disabled: number;
  client_certificate_auth: number;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's secret. */
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end; the idle timeout counts from last_seen_at. */
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the token's secret part. */
  secret_hash: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

export interface UserClientCertificatesTable {
  id: string;
  user_id: string;
  /** SHA-256 (hex) of the certificate's DER: what a presented certificate must match. */
  fingerprint_sha256: string;
  pem: string;
  subject: string;
  issuer: string;
  not_before: string;
  not_after: string;
  created_at: string;
}

export interface SignInFailuresTable {
  /** `user:<username lower-cased>` or `address:<ip>`. */
  key: string;
  failures: number;
  last_failure_at: string;
}

/** A certificate revocation list uploaded to a CA certificate; the newest per issuer is in force. */
export interface CrlsTable {
  id: string;
  certificate_id: string;
  /** RFC 4514, for display. */
  issuer: string;
  /** fingerprintSha256 of the bundle certificate whose key verified the CRL. */
  issuer_fingerprint_sha256: string;
  this_update: string;
  next_update: string | null;
  revoked_count: number;
  crl_number: string | null;
  /** The CRL exactly as validated (BLOB in SQLite, bytea in PostgreSQL). */
  der: Buffer;
  /** SHA-256 (hex) of der: the same CRL twice on one certificate is a 409. */
  sha256: string;
  created_at: string;
}

/** A data-plane process and what it serves (lib/store/dataplane-nodes-repo.ts). */
export interface DataplaneNodesTable {
  /** CERTGATE_NODE_ID, or "<hostname>-<bind address>": stable across restarts, so a restarted node takes its row back. */
  id: string;
  hostname: string;
  /** DATAPLANE_HOST, the address its listeners bind. */
  address: string;
  /** certgate's package version. */
  version: string;
  pid: number;
  workers: number;
  metrics_url: string | null;
  started_at: string;
  /** The node's heartbeat; a row not refreshed for NODE_GONE_AFTER_MS is "gone". */
  last_seen_at: string;
  /** Set by a clean shutdown. */
  stopped_at: string | null;
  /** The config revision every worker of the node enforces. */
  applied_revision: number;
  /** JSON: listener id -> { state, error, url } on this node. */
  listeners_json: string;
  /** JSON: pool id -> memberKey -> health, as this node's checks see it. */
  pools_json: string;
  /** JSON { from, to } of the last time the node could not reach the store (and kept serving), or null. */
  store_outage_json: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  user_client_certificates: UserClientCertificatesTable;
  sign_in_failures: SignInFailuresTable;
  meta: MetaTable;
  certificates: CertificatesTable;
  crls: CrlsTable;
  load_balancers: LoadBalancersTable;
  listeners: ListenersTable;
  pools: PoolsTable;
  listener_trusted_certificates: ListenerTrustedCertificatesTable;
  audit_events: AuditEventsTable;
  connection_events: ConnectionEventsTable;
  presented_certificates: PresentedCertificatesTable;
  dataplane_nodes: DataplaneNodesTable;
}
