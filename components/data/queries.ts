// The one contract between reads and writes: every query's key, built here and nowhere else, and
// its fetcher. Keys nest by resource ("load-balancers", "listeners", "certificates", "audit-events")
// so a mutation invalidates a whole resource with its root key (components/data/mutations.ts).
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { listenerTestFilesAction } from "@/app/actions/listeners";
import { api, type AuditFilter, type Page } from "./api";
import { unwrap } from "./problem";

export const rootKeys = {
  /** Whether a data plane runs (the banner); the node registry below it. */
  dataplane: ["dataplane"],
  loadBalancers: ["load-balancers"],
  listeners: ["listeners"],
  /** Backend pools: a load balancer's list, and each pool below its id. */
  pools: ["pools"],
  certificates: ["certificates"],
  auditEvents: ["audit-events"],
  /** Users, each user's client certificates below their id. */
  users: ["users"],
  /** The signed-in user's API tokens. */
  tokens: ["tokens"],
} as const;

export const queryKeys = {
  loadBalancerPages: () => [...rootKeys.loadBalancers, "pages"] as const,
  loadBalancer: (id: string) => [...rootKeys.loadBalancers, "detail", id] as const,
  listener: (id: string) => [...rootKeys.listeners, id] as const,
  pools: (loadBalancerId: string) => [...rootKeys.pools, "of", loadBalancerId] as const,
  pool: (id: string) => [...rootKeys.pools, "detail", id] as const,
  connections: (listenerId: string) => [...rootKeys.listeners, listenerId, "connections"] as const,
  /** The report-mode counts; below the connection log's key, so what refreshes the log refreshes them. */
  connectionSummary: (listenerId: string) => [...rootKeys.listeners, listenerId, "connections", "summary"] as const,
  /**
   * The impact preview of a change (a PATCH body) to the listener as it was at `version`: a change is
   * judged against the saved settings, so another version is another answer.
   */
  impact: (listenerId: string, version: number, patch: unknown) => [...rootKeys.listeners, listenerId, "impact", version, patch] as const,
  /** Which local files fit a listener's curl lines; a save (new version) may change them. */
  listenerTestFiles: (listenerId: string, version: number) => [...rootKeys.listeners, listenerId, "test-files", version] as const,
  /** Every certificate (of a kind) at once, for pickers. */
  certificates: (kind?: string) => [...rootKeys.certificates, "all", kind ?? "any"] as const,
  certificatePages: (kind?: string) => [...rootKeys.certificates, "pages", kind ?? "any"] as const,
  certificate: (id: string) => [...rootKeys.certificates, "detail", id] as const,
  /** Below the certificate's key: a CRL change refreshes the certificate (its flags) too. */
  crls: (certificateId: string) => [...rootKeys.certificates, "detail", certificateId, "crls"] as const,
  auditEvents: (filter: AuditFilter, cursor: string | null) =>
    [...rootKeys.auditEvents, { targetType: filter.targetType ?? null, targetId: filter.targetId ?? null }, cursor] as const,
  users: () => [...rootKeys.users, "all"] as const,
  user: (id: string) => [...rootKeys.users, "detail", id] as const,
  userCertificates: (userId: string) => [...rootKeys.users, "detail", userId, "client-certificates"] as const,
  tokens: () => [...rootKeys.tokens, "mine"] as const,
  dataplaneNodes: () => [...rootKeys.dataplane, "nodes"] as const,
};

const firstPage = null as string | null;
const nextCursor = <T,>(page: Page<T>) => page.nextCursor;

export const queries = {
  loadBalancerPages: () =>
    infiniteQueryOptions({
      queryKey: queryKeys.loadBalancerPages(),
      queryFn: ({ pageParam }) => api.loadBalancerPage(pageParam),
      initialPageParam: firstPage,
      getNextPageParam: nextCursor,
    }),
  loadBalancer: (id: string) => queryOptions({ queryKey: queryKeys.loadBalancer(id), queryFn: () => api.loadBalancer(id) }),
  listener: (id: string) => queryOptions({ queryKey: queryKeys.listener(id), queryFn: () => api.listener(id) }),
  pools: (loadBalancerId: string) => queryOptions({ queryKey: queryKeys.pools(loadBalancerId), queryFn: () => api.pools(loadBalancerId) }),
  pool: (id: string) => queryOptions({ queryKey: queryKeys.pool(id), queryFn: () => api.pool(id) }),
  connections: (listenerId: string) => queryOptions({ queryKey: queryKeys.connections(listenerId), queryFn: () => api.connections(listenerId) }),
  connectionSummary: (listenerId: string) => queryOptions({ queryKey: queryKeys.connectionSummary(listenerId), queryFn: () => api.connectionSummary(listenerId) }),
  impact: (listenerId: string, version: number, patch: unknown) =>
    queryOptions({ queryKey: queryKeys.impact(listenerId, version, patch), queryFn: () => api.impact(listenerId, patch) }),
  listenerTestFiles: (listenerId: string, version: number) =>
    queryOptions({ queryKey: queryKeys.listenerTestFiles(listenerId, version), queryFn: async () => unwrap(await listenerTestFilesAction(listenerId)) }),
  certificates: (kind?: string) => queryOptions({ queryKey: queryKeys.certificates(kind), queryFn: () => api.certificates(kind) }),
  certificatePages: (kind?: string) =>
    infiniteQueryOptions({
      queryKey: queryKeys.certificatePages(kind),
      queryFn: ({ pageParam }) => api.certificatePage(kind, pageParam),
      initialPageParam: firstPage,
      getNextPageParam: nextCursor,
    }),
  certificate: (id: string) => queryOptions({ queryKey: queryKeys.certificate(id), queryFn: () => api.certificate(id) }),
  crls: (certificateId: string) => queryOptions({ queryKey: queryKeys.crls(certificateId), queryFn: () => api.crls(certificateId) }),
  dataplane: () => queryOptions({ queryKey: rootKeys.dataplane, queryFn: () => api.dataplane() }),
  dataplaneNodes: () => queryOptions({ queryKey: queryKeys.dataplaneNodes(), queryFn: () => api.dataplaneNodes() }),
  auditEvents: (filter: AuditFilter, cursor: string | null) =>
    queryOptions({ queryKey: queryKeys.auditEvents(filter, cursor), queryFn: () => api.auditEvents(filter, cursor) }),
  users: () => queryOptions({ queryKey: queryKeys.users(), queryFn: () => api.users() }),
  user: (id: string) => queryOptions({ queryKey: queryKeys.user(id), queryFn: () => api.user(id) }),
  userCertificates: (userId: string) => queryOptions({ queryKey: queryKeys.userCertificates(userId), queryFn: () => api.userCertificates(userId) }),
  tokens: () => queryOptions({ queryKey: queryKeys.tokens(), queryFn: () => api.tokens() }),
};
