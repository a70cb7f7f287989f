// The browser's reads: the JSON API (docs/api.md), one function per resource. The server renders
// each page's first view from the same services (components/data/server.ts) under the same query
// keys, so react-query starts with data and these functions only refresh it.
import type { CertificateView, DataplaneNodesView, DataplaneView, ListenerView, LoadBalancerSummaryView, LoadBalancerView, PoolView } from "@/lib/services/views";
import type { Problem } from "@/lib/errors";
import type { ApiTokenView } from "@/lib/services/api-tokens";
import type { UserCertificateView } from "@/lib/services/user-certificates";
import type { CrlView } from "@/lib/services/crls";
import type { UserView } from "@/lib/services/users";
import type { auditEventSchema, connectionSchema, connectionSummarySchema, impactSchema } from "@/lib/schemas/responses";
import type { z } from "zod";
import { ProblemError } from "./problem";
import { sendToSignIn } from "./session-ended";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AuditEventView = z.infer<typeof auditEventSchema>;

export type ConnectionView = z.infer<typeof connectionSchema>;

export type ConnectionSummaryView = z.infer<typeof connectionSummarySchema>;

export type ImpactView = z.infer<typeof impactSchema>;

export type CertificateDetailsView = CertificateView & { pem: string };

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  // A read answered 401: the session ended (signed out elsewhere, timed out, user disabled).
  if (response.status === 401) sendToSignIn();
  return readAnswer<T>(response);
}

/** A read that needs a body (the impact preview): a POST that changes nothing. */
async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.status === 401) sendToSignIn();
  return readAnswer<T>(response);
}

async function readAnswer<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ProblemError(
      problem ?? { type: "about:blank", title: "Error", status: response.status, detail: `The server answered ${response.status}.`, errors: [] },
    );
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

// Signing in and out are the console's only writes through the JSON API rather than a server
// action: the session cookie is the API's (docs/api.md "Sign-in"), the same for a browser and a script.
export async function signIn(credentials: { username: string; password: string }): Promise<void> {
  await readAnswer(await fetch("/api/v1/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) }));
}

export async function signOut(): Promise<void> {
  await readAnswer(await fetch("/api/v1/session", { method: "DELETE" }));
}

function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  return params.size ? `${path}?${params}` : path;
}

export interface AuditFilter {
  targetType?: string;
  targetId?: string;
}

/** How many rows a list page shows before "Load more". */
export const LIST_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 25;
export const CONNECTIONS_SHOWN = 20;
/** The window the impact preview and the report-mode summary look back over. */
export const IMPACT_HOURS = 24;
/** The API's largest page: a picker that needs every certificate asks for as few pages as it can. */
const LARGEST_PAGE = 500;

export const api = {
  loadBalancerPage: (cursor: string | null) =>
    getJson<Page<LoadBalancerSummaryView>>(withQuery("/api/v1/load-balancers", { limit: String(LIST_PAGE_SIZE), cursor })),
  loadBalancer: (id: string) => getJson<LoadBalancerView>(`/api/v1/load-balancers/${encodeURIComponent(id)}`),
  listener: (id: string) => getJson<ListenerView>(`/api/v1/listeners/${encodeURIComponent(id)}`),
  pools: (loadBalancerId: string) => getJson<{ items: PoolView[] }>(`/api/v1/load-balancers/${encodeURIComponent(loadBalancerId)}/pools`),
  pool: (id: string) => getJson<PoolView>(`/api/v1/pools/${encodeURIComponent(id)}`),
  connections: (listenerId: string) =>
    getJson<Page<ConnectionView>>(withQuery(`/api/v1/listeners/${encodeURIComponent(listenerId)}/connections`, { limit: String(CONNECTIONS_SHOWN) })),
  /** The connection log's last day in numbers: how many connections report mode would have refused. */
  connectionSummary: (listenerId: string) =>
    getJson<ConnectionSummaryView>(withQuery(`/api/v1/listeners/${encodeURIComponent(listenerId)}/connections/summary`, { hours: String(IMPACT_HOURS) })),
  /** Who a change (a listener PATCH body) would refuse, judged on the clients seen in the last IMPACT_HOURS. */
  impact: (listenerId: string, patch: unknown) =>
    postJson<ImpactView>(withQuery(`/api/v1/listeners/${encodeURIComponent(listenerId)}/impact`, { hours: String(IMPACT_HOURS) }), patch),
  certificatePage: (kind: string | undefined, cursor: string | null) =>
    getJson<Page<CertificateView>>(withQuery("/api/v1/certificates", { limit: String(LIST_PAGE_SIZE), kind, cursor })),
  /** Every certificate (of a kind), page after page: for pickers that search what they hold. */
  certificates: async (kind?: string): Promise<Page<CertificateView>> => {
    const items: CertificateView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<CertificateView> = await getJson(withQuery("/api/v1/certificates", { limit: String(LARGEST_PAGE), kind, cursor }));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { items, nextCursor: null };
  },
  certificate: (id: string) => getJson<CertificateDetailsView>(`/api/v1/certificates/${encodeURIComponent(id)}`),
  crls: (certificateId: string) => getJson<{ items: CrlView[] }>(`/api/v1/certificates/${encodeURIComponent(certificateId)}/crls`),
  auditEvents: (filter: AuditFilter, cursor: string | null) =>
    getJson<Page<AuditEventView>>(withQuery("/api/v1/audit-events", { limit: String(AUDIT_PAGE_SIZE), ...filter, cursor })),
  dataplane: () => getJson<DataplaneView>("/api/v1/dataplane"),
  dataplaneNodes: () => getJson<DataplaneNodesView>("/api/v1/dataplane-nodes"),
  users: () => getJson<Page<UserView>>("/api/v1/users"),
  user: (id: string) => getJson<UserView>(`/api/v1/users/${encodeURIComponent(id)}`),
  userCertificates: (userId: string) => getJson<Page<UserCertificateView>>(`/api/v1/users/${encodeURIComponent(userId)}/client-certificates`),
  /** The signed-in user's own tokens. */
  tokens: () => getJson<Page<ApiTokenView>>("/api/v1/tokens"),
};

export type { ApiTokenView, CertificateView, CrlView, DataplaneNodesView, DataplaneView, ListenerView, LoadBalancerSummaryView, LoadBalancerView, PoolView, UserCertificateView, UserView };
