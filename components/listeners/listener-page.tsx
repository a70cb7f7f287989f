"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api, queryKeys } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { QueryState } from "@/components/ui/query-state";
import { DeleteListenerDialog } from "./delete-listener-dialog";
import { EditListenerDialog } from "./edit-listener-dialog";
import { ClientCaBadge, EndpointState } from "./listener-badges";
import { TestListenerPanel } from "./test-listener-panel";

export function ListenerPage({ id }: { id: string }) {
  const listener = useQuery({ queryKey: queryKeys.listener(id), queryFn: () => api.listener(id), refetchInterval: 5_000 });
  const certificates = useQuery({ queryKey: queryKeys.certificates(), queryFn: () => api.certificates() });
  const loadBalancerId = listener.data?.loadBalancerId;
  const loadBalancer = useQuery({
    queryKey: queryKeys.loadBalancer(loadBalancerId ?? ""),
    queryFn: () => api.loadBalancer(loadBalancerId!),
    enabled: Boolean(loadBalancerId),
  });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const nameOf = (certificateId: string | null) =>
    certificateId ? (certificates.data?.items.find((c) => c.id === certificateId)?.name ?? "…") : "—";

  return (
    <section className="space-y-4">
      <QueryState query={listener}>
        {(l) => (
          <>
            <nav aria-label="Breadcrumb" className="text-sm">
              <Link href="/load-balancers" className="text-blue-700 hover:underline dark:text-blue-300">
                Load Balancers
              </Link>
              <span aria-hidden="true"> / </span>
              <Link href={`/load-balancers/${l.loadBalancerId}`} className="text-blue-700 hover:underline dark:text-blue-300">
                {loadBalancer.data?.name ?? "Load balancer"}
              </Link>
              <span aria-hidden="true"> / </span>
              <span aria-current="page">{l.name}</span>
            </nav>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h1 className="text-2xl font-semibold">{l.name}</h1>
              <div className="flex gap-2">
                <Button onClick={() => setEditing(true)}>Edit</Button>
                <Button variant="danger" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              </div>
            </div>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
              <dt className="font-medium">Protocol and port</dt>
              <dd>
                {l.protocol} {l.port}
              </dd>
              <dt className="font-medium">Server certificate</dt>
              <dd>{l.protocol === "HTTPS" ? nameOf(l.certificateId) : "—"}</dd>
              <dt className="font-medium">Client CA</dt>
              <dd className="space-x-2">
                <ClientCaBadge listener={l} />
                {l.clientAuth.enabled && l.clientAuth.caCertificateId ? <span>{nameOf(l.clientAuth.caCertificateId)}</span> : null}
              </dd>
              <dt className="font-medium">Trusted client certificates</dt>
              <dd>{l.clientAuth.trustedCertificateIds.map(nameOf).join(", ") || "—"}</dd>
              <dt className="font-medium">Endpoint</dt>
              <dd className="space-x-2">
                <code>{l.endpoint.url}</code> <EndpointState endpoint={l.endpoint} />
              </dd>
              <dt className="font-medium">Version</dt>
              <dd>
                {l.version} ·{" "}
                <Link className="text-blue-700 hover:underline dark:text-blue-300" href={`/activity?targetType=listener&targetId=${l.id}`}>
                  Activity for this listener
                </Link>
              </dd>
            </dl>
            <TestListenerPanel listener={l} certificates={certificates.data?.items ?? []} />
            {editing ? <EditListenerDialog key={l.version} listener={l} loadBalancerId={l.loadBalancerId} open onOpenChange={setEditing} /> : null}
            <DeleteListenerDialog listener={l} open={deleting} onOpenChange={setDeleting} />
          </>
        )}
      </QueryState>
    </section>
  );
}
