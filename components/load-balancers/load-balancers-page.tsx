"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api, queryKeys } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateLoadBalancerDialog } from "./create-load-balancer-dialog";
import { LoadBalancerStatusBadge } from "./status-badge";
import { QueryState } from "@/components/ui/query-state";

export function LoadBalancersPage() {
  const [creating, setCreating] = useState(false);
  const query = useQuery({ queryKey: queryKeys.loadBalancers(), queryFn: api.loadBalancers, refetchInterval: 10_000 });

  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Load Balancers</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create load balancer
        </Button>
      </div>
      <QueryState query={query}>
        {(page) => (
          <Table caption="Load balancers" head={["Name", "Status", "Listeners", "Created"]}>
            {page.items.length === 0 ? (
              <EmptyRow colSpan={4}>No load balancers yet. Create one to add listeners.</EmptyRow>
            ) : (
              page.items.map((lb) => (
                <tr key={lb.id}>
                  <Td>
                    <Link href={`/load-balancers/${lb.id}`} className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-300">
                      {lb.name}
                    </Link>
                  </Td>
                  <Td>
                    <LoadBalancerStatusBadge status={lb.status} />
                  </Td>
                  <Td>{lb.listenerCount}</Td>
                  <Td>{new Date(lb.createdAt).toLocaleString()}</Td>
                </tr>
              ))
            )}
          </Table>
        )}
      </QueryState>
      <CreateLoadBalancerDialog open={creating} onOpenChange={setCreating} />
    </section>
  );
}
