// Reads go through the JSON API (one way of reading each resource); writes through server actions.
import type { CertificateView, DataplaneView, ListenerView, LoadBalancerSummaryView, LoadBalancerView } from "@/lib/services/views";
import type { Problem } from "@/lib/errors";
import type { auditEventSchema, connectionSchema } from "@/lib/schemas/responses";
import type { z } from "zod";
import { ProblemError } from "./problem";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AuditEventView = z.infer<typeof auditEventSchema>;

export type ConnectionView = z.infer<typeof connectionSchema>;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ProblemError(
      problem ?? { type: "about:blank", title: "Error", status: response.status, detail: `The server answered ${response.status}.`, errors: [] },
    );
  }
  return (await response.json()) as T;
}

export interface AuditFilter {
  targetType?: string;
  targetId?: string;
}

export const queryKeys = {
  listener: (id: string) => ["listener", id] as const,
  loadBalancers: () => ["load-balancers"] as const,
  loadBalancer: (id: string) => ["load-balancers", id] as const,
  certificates: (kind?: string) => (kind ? (["certificates", { kind }] as const) : (["certificates"] as const)),
  certificate: (id: string) => ["certificate", id] as const,
  auditEvents: (filter: AuditFilter, cursor?: string | null) => ["audit-events", filter, cursor ?? null] as const,
  connections: (listenerId: string) => ["connections", listenerId] as const,
  dataplane: () => ["dataplane"] as const,
};

export const api = {
  loadBalancers: () => getJson<Page<LoadBalancerSummaryView>>("/api/v1/load-balancers?limit=500"),
  loadBalancer: (id: string) => getJson<LoadBalancerView>(`/api/v1/load-balancers/${encodeURIComponent(id)}`),
  certificates: (kind?: string) =>
    getJson<Page<CertificateView>>(`/api/v1/certificates?limit=500${kind ? `&kind=${encodeURIComponent(kind)}` : ""}`),
  certificate: (id: string) => getJson<CertificateView & { pem: string }>(`/api/v1/certificates/${encodeURIComponent(id)}`),
  auditEvents: (filter: AuditFilter, cursor?: string | null) => {
    const params = new URLSearchParams({ limit: "25" });
    if (filter.targetType) params.set("targetType", filter.targetType);
    if (filter.targetId) params.set("targetId", filter.targetId);
    if (cursor) params.set("cursor", cursor);
    return getJson<Page<AuditEventView>>(`/api/v1/audit-events?${params}`);
  },
  listener: (id: string) => getJson<ListenerView>(`/api/v1/listeners/${encodeURIComponent(id)}`),
  connections: (listenerId: string) => getJson<Page<ConnectionView>>(`/api/v1/listeners/${encodeURIComponent(listenerId)}/connections?limit=20`),
  dataplane: () => getJson<DataplaneView>("/api/v1/dataplane"),
};

export type { CertificateView, DataplaneView, ListenerView, LoadBalancerSummaryView, LoadBalancerView };
