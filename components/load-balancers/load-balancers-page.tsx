"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { PermittedButton } from "@/components/auth/permitted-button";
import Link from "next/link";
import { useState } from "react";
import { queries } from "@/components/data/queries";
import { DateTime } from "@/components/ui/date-time";
import { LoadMore } from "@/components/ui/load-more";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateLoadBalancerDialog } from "./create-load-balancer-dialog";
import { LoadBalancerStatusBadge } from "./status-badge";

export function LoadBalancersPage() {
  const [creating, setCreating] = useState(false);
  const query = useInfiniteQuery({ ...queries.loadBalancerPages(), refetchInterval: 10_000 });

  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Load Balancers</h1>
        <PermittedButton permission="operate" showReason variant="primary" onClick={() => setCreating(true)}>
          Create load balancer
        </PermittedButton>
      </div>
      <QueryState query={query}>
        {(data) => {
          const loadBalancers = data.pages.flatMap((page) => page.items);
          return (
            <Table caption="Load balancers" head={["Name", "Status", "Listeners", "Created"]}>
              {loadBalancers.length === 0 ? (
                <EmptyRow colSpan={4}>No load balancers yet. Create one to add listeners.</EmptyRow>
              ) : (
                loadBalancers.map((lb) => (
                  <tr key={lb.id}>
                    <Td label="Name">
                      <Link href={`/load-balancers/${lb.id}`} className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-300">
                        {lb.name}
                      </Link>
                    </Td>
                    <Td label="Status">
                      <LoadBalancerStatusBadge status={lb.status} />
                    </Td>
                    <Td label="Listeners">{lb.listenerCount}</Td>
                    <Td label="Created">
                      <DateTime value={lb.createdAt} />
                    </Td>
                  </tr>
                ))
              )}
            </Table>
          );
        }}
      </QueryState>
      <LoadMore query={query} what="load balancers" />
      <CreateLoadBalancerDialog open={creating} onOpenChange={setCreating} />
    </section>
  );
}
