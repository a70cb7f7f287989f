// The API's read shapes (docs/api.md, typed by lib/schemas/responses), built from store rows. One
// place, so the REST API, server actions and pages show the same thing.
import type { z } from "zod";
import type { certificateSchema, dataplaneNodeSchema, dataplaneNodesSchema, dataplaneSchema, listenerSchema, loadBalancerSchema, loadBalancerSummarySchema, poolSchema } from "../schemas/responses";
import type { CertificateDetails } from "../pki";
import type { Dataplane, EndpointStatus } from "../dataplane";
import { memberKey, type MemberHealth } from "../dataplane/types";
import type { CertificateRow, CertificateUse } from "../store/certificates-repo";
import type { CrlSummaryRow } from "../store/crls-repo";
import { crlsInForce, isPastNextUpdate } from "./crls-in-force";
import type { ListenerRecord } from "../store/listeners-repo";
import type { LoadBalancerRow } from "../store/load-balancers-repo";
import type { PoolRecord } from "../store/pools-repo";

export interface StoredCertificateDetails extends Omit<CertificateDetails, "notBefore" | "notAfter"> {
  notBefore: string;
  notAfter: string;
  warnings: string[];
}

export type CertificateView = z.infer<typeof certificateSchema>;

/** `crls`: summaries of CRLs (of this and other certificates); the view flags its own in force past nextUpdate. */
export function toCertificateView(row: CertificateRow, uses: CertificateUse[], crls: CrlSummaryRow[] = []): CertificateView {
  const d = JSON.parse(row.details_json) as StoredCertificateDetails;
  const own = crls.filter((crl) => crl.certificate_id === row.id);
  const inForce = crlsInForce(own);
  const usedBy = uses.filter((u) => u.certificateId === row.id).map((u) => ({ listenerId: u.listenerId, name: u.name }));
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    subject: d.subject,
    issuer: d.issuer,
    serialNumber: d.serialNumber,
    notBefore: d.notBefore,
    notAfter: d.notAfter,
    fingerprintSha256: row.fingerprint_sha256,
    certificateCount: row.certificate_count,
    keyAlgorithm: d.keyAlgorithm,
    signatureAlgorithm: d.signatureAlgorithm,
    isCA: d.isCA,
    pathLength: d.pathLength,
    keyUsage: d.keyUsage,
    extendedKeyUsage: d.extendedKeyUsage,
    subjectAltNames: d.subjectAltNames,
    warnings: d.warnings,
    // Whether a key is held, never the key itself.
    hasPrivateKey: row.private_key_sealed !== null,
    usedBy: dedupeUses(usedBy),
    crlsPastNextUpdate: own
      .filter((crl) => inForce.has(crl.id) && isPastNextUpdate(crl))
      .map((crl) => ({ id: crl.id, issuer: crl.issuer, nextUpdate: crl.next_update! })),
    createdAt: row.created_at,
  };
}

function dedupeUses(uses: { listenerId: string; name: string }[]) {
  const seen = new Map(uses.map((u) => [u.listenerId, u]));
  return [...seen.values()];
}

export type LoadBalancerSummaryView = z.infer<typeof loadBalancerSummarySchema>;

export type ListenerView = z.infer<typeof listenerSchema>;

export type LoadBalancerView = z.infer<typeof loadBalancerSchema>;

export type DataplaneView = z.infer<typeof dataplaneSchema>;

export type DataplaneNodeView = z.infer<typeof dataplaneNodeSchema>;

export type DataplaneNodesView = z.infer<typeof dataplaneNodesSchema>;

/** Whether a data plane serves the listeners, and which kind the console expects (docs/api.md). */
export function toDataplaneView(dataplane: Dataplane, embedded: boolean): DataplaneView {
  return { running: dataplane.running(), mode: embedded ? "embedded" : "standalone" };
}

/** A listener's settings as the API names them: what a change compares and what its audit event records. */
export function listenerSettings(record: ListenerRecord) {
  return {
    name: record.name,
    protocol: record.protocol,
    port: record.port,
    certificateId: record.certificate_id,
    clientAuth: {
      enabled: record.client_auth_enabled === 1,
      mode: record.client_auth_mode,
      caCertificateId: record.client_ca_certificate_id,
      trustedCertificateIds: record.trusted_certificate_ids,
    },
    defaultPoolId: record.default_pool_id,
  };
}

export function toListenerView(record: ListenerRecord, status: EndpointStatus): ListenerView {
  return {
    id: record.id,
    loadBalancerId: record.load_balancer_id,
    ...listenerSettings(record),
    version: record.version,
    endpoint: { url: status.url, state: status.state, error: status.error, ...(status.nodes ? { nodes: status.nodes } : {}) },
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}

/**
 * "stopped" while no data plane is running (nothing serves its listeners, whatever was saved);
 * otherwise degraded while any of its endpoints is in error.
 */
export function loadBalancerStatus(listenerStates: EndpointStatus["state"][], dataplaneRunning: boolean): LoadBalancerSummaryView["status"] {
  if (listenerStates.length === 0) return "empty";
  if (!dataplaneRunning) return "stopped";
  return listenerStates.includes("error") ? "degraded" : "active";
}

export function toLoadBalancerSummary(
  row: LoadBalancerRow,
  listenerStates: EndpointStatus["state"][],
  dataplaneRunning: boolean,
): LoadBalancerSummaryView {
  return {
    id: row.id,
    name: row.name,
    status: loadBalancerStatus(listenerStates, dataplaneRunning),
    listenerCount: listenerStates.length,
    createdAt: row.created_at,
  };
}

export type PoolView = z.infer<typeof poolSchema>;

/** A pool's settings as the API names them: what a change compares and what its audit event records. */
export function poolSettings(record: PoolRecord) {
  return {
    name: record.name,
    algorithm: record.algorithm,
    members: record.members.map(({ address, port, weight }) => ({ address, port, weight })),
    healthCheck: {
      path: record.health_check_path,
      intervalSeconds: record.health_check_interval_seconds,
      healthyThreshold: record.health_check_healthy_threshold,
      unhealthyThreshold: record.health_check_unhealthy_threshold,
    },
  };
}

/** `health`: the data plane's poolHealth(pool.id), by memberKey(); a member it does not name is "unknown". */
export function toPoolView(record: PoolRecord, health: Record<string, MemberHealth>, usedBy: { listenerId: string; name: string }[]): PoolView {
  const settings = poolSettings(record);
  return {
    id: record.id,
    loadBalancerId: record.load_balancer_id,
    ...settings,
    members: settings.members.map((member) => ({ ...member, health: health[memberKey(member)] ?? "unknown" })),
    usedBy,
    version: record.version,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}
