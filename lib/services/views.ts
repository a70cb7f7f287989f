// The API's read shapes (API.md), built from store rows. One place, so the REST API,
// server actions and pages show the same thing.
import type { CertificateDetails } from "../pki";
import type { EndpointStatus } from "../dataplane";
import type { CertificateRow, CertificateUse } from "../store/certificates-repo";
import type { ListenerRecord } from "../store/listeners-repo";
import type { LoadBalancerRow } from "../store/load-balancers-repo";

export interface StoredCertificateDetails extends Omit<CertificateDetails, "notBefore" | "notAfter"> {
  notBefore: string;
  notAfter: string;
  warnings: string[];
}

export interface CertificateView {
  id: string;
  name: string;
  kind: CertificateRow["kind"];
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  certificateCount: number;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  isCA: boolean;
  pathLength: number | null;
  keyUsage: string[];
  extendedKeyUsage: string[];
  subjectAltNames: string[];
  warnings: string[];
  hasPrivateKey: boolean;
  usedBy: { listenerId: string; name: string }[];
  createdAt: string;
}

export function toCertificateView(row: CertificateRow, uses: CertificateUse[]): CertificateView {
  const d = JSON.parse(row.details_json) as StoredCertificateDetails;
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
    createdAt: row.created_at,
  };
}

function dedupeUses(uses: { listenerId: string; name: string }[]) {
  const seen = new Map(uses.map((u) => [u.listenerId, u]));
  return [...seen.values()];
}

export interface LoadBalancerSummaryView {
  id: string;
  name: string;
  status: "active" | "degraded" | "empty";
  listenerCount: number;
  createdAt: string;
}

export interface ListenerView {
  id: string;
  loadBalancerId: string;
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
  certificateId: string | null;
  clientAuth: { enabled: boolean; caCertificateId: string | null; trustedCertificateIds: string[] };
  version: number;
  endpoint: { url: string; state: EndpointStatus["state"]; error: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface LoadBalancerView extends LoadBalancerSummaryView {
  listeners: ListenerView[];
}

export function toListenerView(record: ListenerRecord, status: EndpointStatus): ListenerView {
  return {
    id: record.id,
    loadBalancerId: record.load_balancer_id,
    name: record.name,
    protocol: record.protocol,
    port: record.port,
    certificateId: record.certificate_id,
    clientAuth: {
      enabled: record.client_auth_enabled === 1,
      caCertificateId: record.client_ca_certificate_id,
      trustedCertificateIds: record.trusted_certificate_ids,
    },
    version: record.version,
    endpoint: { url: status.url, state: status.state, error: status.error },
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}

/** A load balancer is degraded while any of its endpoints is in error. */
export function loadBalancerStatus(listenerStates: EndpointStatus["state"][]): LoadBalancerSummaryView["status"] {
  if (listenerStates.length === 0) return "empty";
  return listenerStates.includes("error") ? "degraded" : "active";
}

export function toLoadBalancerSummary(row: LoadBalancerRow, listenerStates: EndpointStatus["state"][]): LoadBalancerSummaryView {
  return {
    id: row.id,
    name: row.name,
    status: loadBalancerStatus(listenerStates),
    listenerCount: listenerStates.length,
    createdAt: row.created_at,
  };
}
