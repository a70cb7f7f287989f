"use client";
import { useQuery } from "@tanstack/react-query";
import { PermittedButton } from "@/components/auth/permitted-button";
import Link from "next/link";
import { useState } from "react";
import { useCertificatesById } from "@/components/data/certificates-by-id";
import { queries } from "@/components/data/queries";
import { QueryState } from "@/components/ui/query-state";
import { DeleteListenerDialog } from "./delete-listener-dialog";
import { EditListenerDialog } from "./edit-listener-dialog";
import { ClientCaBadge, EndpointState } from "./listener-badges";
import { ReportModePanel } from "./report-mode-panel";
import { TestListenerPanel } from "./test-listener-panel";
import { ListenerPoolPanel } from "@/components/pools/listener-pool-panel";
import { clientAuthModeLabel } from "./client-auth-mode-choice";

const linkClass = "text-blue-700 hover:underline dark:text-blue-300";

export function ListenerPage({ id }: { id: string }) {
  const listener = useQuery({ ...queries.listener(id), refetchInterval: 5_000 });
  const loadBalancerId = listener.data?.loadBalancerId;
  const loadBalancer = useQuery({ ...queries.loadBalancer(loadBalancerId ?? ""), enabled: Boolean(loadBalancerId) });
  const shown = listener.data;
  const certificates = useCertificatesById(
    shown ? [shown.certificateId, shown.clientAuth.caCertificateId, ...shown.clientAuth.trustedCertificateIds] : [],
  );
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const nameOf = (certificateId: string | null) => (certificateId ? (certificates.get(certificateId)?.name ?? certificateId) : "—");
  const certificateLink = (certificateId: string) => (
    <Link key={certificateId} href={`/certificates/${certificateId}`} className={linkClass}>
      {nameOf(certificateId)}
    </Link>
  );

  return (
    <section className="space-y-4">
      <QueryState query={listener}>
        {(l) => (
          <>
            <nav aria-label="Breadcrumb" className="text-sm">
              <Link href="/load-balancers" className={linkClass}>
                Load Balancers
              </Link>
              <span aria-hidden="true"> / </span>
              <Link href={`/load-balancers/${l.loadBalancerId}`} className={linkClass}>
                {loadBalancer.data?.name ?? "Load balancer"}
              </Link>
              <span aria-hidden="true"> / </span>
              <span aria-current="page">{l.name}</span>
            </nav>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h1 className="text-2xl font-semibold">{l.name}</h1>
              <div className="flex gap-2">
                <PermittedButton permission="operate" onClick={() => setEditing(true)}>
                  Edit
                </PermittedButton>
                <PermittedButton permission="operate" variant="danger" onClick={() => setDeleting(true)}>
                  Delete
                </PermittedButton>
              </div>
            </div>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
              <dt className="font-medium">Protocol and port</dt>
              <dd>
                {l.protocol} {l.port}
              </dd>
              <dt className="font-medium">Server certificate</dt>
              <dd>{l.protocol === "HTTPS" && l.certificateId ? certificateLink(l.certificateId) : "—"}</dd>
              <dt className="font-medium">Client CA</dt>
              <dd>
                <ClientCaBadge listener={l} caName={certificates.get(l.clientAuth.caCertificateId ?? "")?.name} />
              </dd>
              <dt className="font-medium">Client certificate mode</dt>
              <dd>{l.protocol === "HTTPS" && l.clientAuth.enabled ? clientAuthModeLabel(l.clientAuth.mode) : "—"}</dd>
              <dt className="font-medium">Trusted client certificates</dt>
              <dd className="space-x-2">{l.clientAuth.trustedCertificateIds.length ? l.clientAuth.trustedCertificateIds.map(certificateLink) : "—"}</dd>
              <dt className="font-medium">Default pool</dt>
              <dd>{l.defaultPoolId ? "Forwards to the pool below" : "None — the built-in test endpoint answers"}</dd>
              <dt className="font-medium">Endpoint</dt>
              <dd className="space-x-2">
                <code className="break-all">{l.endpoint.url}</code> <EndpointState endpoint={l.endpoint} />
              </dd>
              <dt className="font-medium">Version</dt>
              <dd>
                {l.version} ·{" "}
                <Link className={linkClass} href={`/activity?targetType=listener&targetId=${l.id}`}>
                  Activity for this listener
                </Link>
              </dd>
            </dl>
            {l.protocol === "HTTPS" && l.clientAuth.enabled && l.clientAuth.mode === "report" ? <ReportModePanel listener={l} /> : null}
            {l.defaultPoolId ? <ListenerPoolPanel poolId={l.defaultPoolId} loadBalancerId={l.loadBalancerId} /> : null}
            <TestListenerPanel listener={l} certificates={[...certificates.values()]} />
            {editing ? <EditListenerDialog key={l.version} listener={l} open onOpenChange={setEditing} /> : null}
            <DeleteListenerDialog listener={l} open={deleting} onOpenChange={setDeleting} />
          </>
        )}
      </QueryState>
    </section>
  );
}
