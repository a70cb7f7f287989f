"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { PermittedButton } from "@/components/auth/permitted-button";
import { queries } from "@/components/data/queries";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { DeletePoolDialog } from "./delete-pool-dialog";
import { algorithmLabel, PoolHealthSummary } from "./member-health";
import { PoolDialog } from "./pool-dialog";

/** How often member health is refetched: the data plane reports a change within about 0.1 s. */
export const POOL_HEALTH_REFRESH_MS = 3_000;

export function PoolsTab({ loadBalancerId }: { loadBalancerId: string }) {
  const query = useQuery({ ...queries.pools(loadBalancerId), refetchInterval: POOL_HEALTH_REFRESH_MS });
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const pools = query.data?.items ?? [];
  const editing = pools.find((p) => p.id === editingId) ?? null;
  const deleting = pools.find((p) => p.id === deletingId) ?? null;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold">Pools</h2>
        <PermittedButton permission="operate" showReason variant="primary" onClick={() => setCreating(true)}>
          Create pool
        </PermittedButton>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The backends a listener forwards to when it is picked as the listener&apos;s Default pool. A listener without one answers with the built-in test endpoint.
      </p>
      <QueryState query={query}>
        {() => (
          <Table caption="Pools" head={["Name", "Algorithm", "Members", "Health", "Used by", "Actions"]}>
            {pools.length === 0 ? (
              <EmptyRow colSpan={6}>No pools yet. Create one, then pick it as a listener&apos;s Default pool.</EmptyRow>
            ) : (
              pools.map((pool) => (
                <tr key={pool.id}>
                  <Td label="Name">
                    <span className="font-medium">{pool.name}</span>
                  </Td>
                  <Td label="Algorithm">{algorithmLabel(pool.algorithm)}</Td>
                  <Td label="Members">{pool.members.length}</Td>
                  <Td label="Health">
                    <PoolHealthSummary pool={pool} />
                  </Td>
                  <Td label="Used by">
                    {pool.usedBy.length === 0
                      ? "—"
                      : pool.usedBy.map((use, i) => (
                          <span key={use.listenerId}>
                            {i > 0 ? ", " : null}
                            <Link href={`/listeners/${use.listenerId}`} className="text-blue-700 hover:underline dark:text-blue-300">
                              {use.name}
                            </Link>
                          </span>
                        ))}
                  </Td>
                  <Td label="Actions">
                    <span className="inline-flex gap-2">
                      <PermittedButton permission="operate" aria-label={`Edit pool ${pool.name}`} onClick={() => setEditingId(pool.id)}>
                        Edit
                      </PermittedButton>
                      <PermittedButton permission="operate" variant="danger" aria-label={`Delete pool ${pool.name}`} onClick={() => setDeletingId(pool.id)}>
                        Delete
                      </PermittedButton>
                    </span>
                  </Td>
                </tr>
              ))
            )}
          </Table>
        )}
      </QueryState>
      <PoolDialog loadBalancerId={loadBalancerId} open={creating} onOpenChange={setCreating} />
      {editing ? <PoolDialog key={editing.id} loadBalancerId={loadBalancerId} pool={editing} open onOpenChange={(open) => !open && setEditingId(null)} /> : null}
      {deleting ? <DeletePoolDialog key={deleting.id} pool={deleting} open onOpenChange={(open) => !open && setDeletingId(null)} /> : null}
    </div>
  );
}
