"use client";
import { useQuery } from "@tanstack/react-query";
import { PermittedButton } from "@/components/auth/permitted-button";
import Link from "next/link";
import { useState } from "react";
import { queries } from "@/components/data/queries";
import { ListenersTab } from "@/components/listeners/listeners-tab";
import { PoolsTab } from "@/components/pools/pools-tab";
import { DateTime } from "@/components/ui/date-time";
import { QueryState } from "@/components/ui/query-state";
import { Tabs } from "@/components/ui/tabs";
import { DeleteLoadBalancerDialog } from "./delete-load-balancer-dialog";
import { LoadBalancerStatusBadge } from "./status-badge";

export function LoadBalancerPage({ id }: { id: string }) {
  // Polled so endpoint states (serving / error) stay current without a reload.
  const query = useQuery({ ...queries.loadBalancer(id), refetchInterval: 5_000 });
  const [deleting, setDeleting] = useState(false);
  return (
    <section className="space-y-4">
      <QueryState query={query}>
        {(lb) => (
          <>
            <nav aria-label="Breadcrumb" className="text-sm">
              <Link href="/load-balancers" className="text-blue-700 hover:underline dark:text-blue-300">
                Load Balancers
              </Link>
              <span aria-hidden="true"> / </span>
              <span aria-current="page">{lb.name}</span>
            </nav>
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold">{lb.name}</h1>
              <LoadBalancerStatusBadge status={lb.status} />
              <PermittedButton permission="operate" variant="danger" className="ml-auto" onClick={() => setDeleting(true)}>
                Delete load balancer
              </PermittedButton>
            </div>
            <DeleteLoadBalancerDialog loadBalancer={lb} open={deleting} onOpenChange={setDeleting} />
            <Tabs
              defaultValue="listener"
              tabs={[
                { value: "listener", label: "Listener", content: <ListenersTab loadBalancer={lb} /> },
                { value: "pools", label: "Pools", content: <PoolsTab loadBalancerId={lb.id} /> },
                {
                  value: "details",
                  label: "Details",
                  content: (
                    <dl className="grid max-w-xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
                      <dt className="font-medium">Name</dt>
                      <dd>{lb.name}</dd>
                      <dt className="font-medium">ID</dt>
                      <dd className="font-mono text-xs break-all">{lb.id}</dd>
                      <dt className="font-medium">Listeners</dt>
                      <dd>{lb.listenerCount}</dd>
                      <dt className="font-medium">Created</dt>
                      <dd>
                        <DateTime value={lb.createdAt} />
                      </dd>
                    </dl>
                  ),
                },
              ]}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
