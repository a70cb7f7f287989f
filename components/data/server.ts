// Each page's first view, read on the server from the services (no HTTP call to ourselves) and
// handed to react-query under the keys of ./queries, so the HTML carries the data and the browser
// only refreshes it. The shapes are the API's: the services build both.
import "server-only";
import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { certificateIdsInChange } from "@/components/activity/describe-change";
import { requirePageCaller } from "@/lib/auth/page-caller";
import { AppError } from "@/lib/errors";
import { listAuditEvents } from "@/lib/services/audit";
import { getCertificate, listCertificates } from "@/lib/services/certificates";
import { listListenerConnections } from "@/lib/services/connections";
import { listDataplaneNodes } from "@/lib/services/dataplane-nodes";
import { getListener } from "@/lib/services/listeners";
import { getPool, listPools } from "@/lib/services/pools";
import { getLoadBalancer, listLoadBalancers } from "@/lib/services/load-balancers";
import { getRuntime, type Runtime } from "@/lib/services/runtime";
import { listApiTokens } from "@/lib/services/api-tokens";
import { listUserCertificates } from "@/lib/services/user-certificates";
import { getUser, listUsers } from "@/lib/services/users";
import type { ListenerView } from "@/lib/services/views";
import { AUDIT_PAGE_SIZE, CONNECTIONS_SHOWN, LIST_PAGE_SIZE, type AuditFilter, type ConnectionView, type Page } from "./api";
import { queries } from "./queries";

const isNotFound = (error: unknown) => error instanceof AppError && error.status === 404;

/** A missing resource is the page's 404 (its not-found.tsx), not an error. */
async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
}

// Cached per request: generateMetadata and the page read the same row once.
/** The runtime, for a signed-in page only (titles name resources too). */
async function pageRuntime(): Promise<Runtime> {
  await requirePageCaller();
  return getRuntime();
}

export const loadLoadBalancer = cache(async (id: string) => orNotFound(getLoadBalancer(await pageRuntime(), id)));
export const loadListener = cache(async (id: string) => orNotFound(getListener(await pageRuntime(), id)));
export const loadCertificate = cache(async (id: string) => orNotFound(getCertificate(await pageRuntime(), id)));
/** Another user's page is a 404 for a non-admin, as the API answers: whether they exist is not told. */
export const loadUser = cache(async (id: string) => orNotFound(getUser(await pageRuntime(), await requirePageCaller(), id)));

async function dehydrated(fill: (client: QueryClient, rt: Runtime) => Promise<void>): Promise<DehydratedState> {
  // Read per request, never prerendered at build time with the build machine's data.
  await connection();
  await requirePageCaller();
  const client = new QueryClient();
  await fill(client, await getRuntime());
  return dehydrate(client);
}

/** The certificates a listener names, so tables and breadcrumbs show names, not ids. */
function certificateIdsOf(listeners: ListenerView[]): string[] {
  const ids = listeners.flatMap((l) => [l.certificateId, l.clientAuth.caCertificateId, ...l.clientAuth.trustedCertificateIds]);
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

async function prefetchCertificates(client: QueryClient, rt: Runtime, ids: string[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      try {
        client.setQueryData(queries.certificate(id).queryKey, await getCertificate(rt, id));
      } catch (error) {
        // Deleted since it was referenced (an old audit event): the page shows the id instead.
        if (!isNotFound(error)) throw error;
      }
    }),
  );
}

const firstPage = { cursor: null };

export const pageData = {
  loadBalancers: () =>
    dehydrated(async (client, rt) => {
      const page = await listLoadBalancers(rt, { ...firstPage, limit: LIST_PAGE_SIZE });
      client.setQueryData(queries.loadBalancerPages().queryKey, { pages: [page], pageParams: [null] });
    }),

  loadBalancer: (id: string) =>
    dehydrated(async (client, rt) => {
      const lb = await loadLoadBalancer(id);
      client.setQueryData(queries.loadBalancer(id).queryKey, lb);
      const [pools] = await Promise.all([listPools(rt, id), prefetchCertificates(client, rt, certificateIdsOf(lb.listeners))]);
      // The Pools tab and the listener dialogs' Default pool open with their data.
      client.setQueryData(queries.pools(id).queryKey, pools);
    }),

  listener: (id: string) =>
    dehydrated(async (client, rt) => {
      const listener = await loadListener(id);
      client.setQueryData(queries.listener(id).queryKey, listener);
      const [lb, connections] = await Promise.all([
        loadLoadBalancer(listener.loadBalancerId),
        listListenerConnections(rt, id, { ...firstPage, limit: CONNECTIONS_SHOWN }),
        prefetchCertificates(client, rt, certificateIdsOf([listener])),
      ]);
      client.setQueryData(queries.loadBalancer(lb.id).queryKey, lb);
      // Changed since the listener was read (a pool in use is never deleted, but the listener may have moved on): the browser fetches it.
      const pool = listener.defaultPoolId ? await getPool(rt, listener.defaultPoolId).catch(() => null) : null;
      if (pool) client.setQueryData(queries.pool(pool.id).queryKey, pool);
      // The store types a reason as a string; it holds one of the API's reason codes.
      client.setQueryData(queries.connections(id).queryKey, connections as Page<ConnectionView>);
    }),

  certificates: () =>
    dehydrated(async (client, rt) => {
      const page = await listCertificates(rt, {}, { ...firstPage, limit: LIST_PAGE_SIZE });
      client.setQueryData(queries.certificatePages().queryKey, { pages: [page], pageParams: [null] });
    }),

  certificate: (id: string) =>
    dehydrated(async (client) => {
      client.setQueryData(queries.certificate(id).queryKey, await loadCertificate(id));
    }),

  /** Admins only: the page shows others a refusal before asking (app/users/page.tsx). */
  users: () =>
    dehydrated(async (client, rt) => {
      client.setQueryData(queries.users().queryKey, await listUsers(rt, await requirePageCaller()));
    }),

  /** The user, their client certificates, and on your own page your API tokens. */
  user: (id: string) =>
    dehydrated(async (client, rt) => {
      const caller = await requirePageCaller();
      const user = await loadUser(id);
      client.setQueryData(queries.user(id).queryKey, user);
      client.setQueryData(queries.userCertificates(id).queryKey, await listUserCertificates(rt, caller, id));
      if (caller.userId === id) client.setQueryData(queries.tokens().queryKey, await listApiTokens(rt, caller));
    }),

  /** The nodes, and the listeners in error on them by name (the page links each error to its listener). */
  dataplaneNodes: () =>
    dehydrated(async (client, rt) => {
      const nodes = await listDataplaneNodes(rt);
      client.setQueryData(queries.dataplaneNodes().queryKey, nodes);
      const inError = new Set(nodes.items.flatMap((node) => Object.entries(node.listeners).filter(([, s]) => s.state === "error").map(([id]) => id)));
      await Promise.all(
        [...inError].map(async (id) => {
          // Deleted since the node reported it: the page names it by id.
          const listener = await getListener(rt, id).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error)));
          if (listener) client.setQueryData(queries.listener(id).queryKey, listener);
        }),
      );
    }),

  activity: (filter: AuditFilter) =>
    dehydrated(async (client, rt) => {
      let page;
      try {
        page = await listAuditEvents(rt, filter, { ...firstPage, limit: AUDIT_PAGE_SIZE });
      } catch (error) {
        // A filter the API refuses: the browser's read shows the API's message.
        if (error instanceof AppError) return;
        throw error;
      }
      client.setQueryData(queries.auditEvents(filter, null).queryKey, page);
      await prefetchCertificates(client, rt, page.items.flatMap((e) => certificateIdsInChange(e.details)));
    }),
};
