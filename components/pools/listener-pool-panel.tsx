"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { queries } from "@/components/data/queries";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { memberKey } from "@/lib/dataplane/types";
import { algorithmLabel, MemberHealthBadge, PoolHealthSummary } from "./member-health";
import { POOL_HEALTH_REFRESH_MS } from "./pools-tab";

/** The listener page's Default pool: where its requests go, and each member's health (polled). */
export function ListenerPoolPanel({ poolId, loadBalancerId }: { poolId: string; loadBalancerId: string }) {
  const query = useQuery({ ...queries.pool(poolId), refetchInterval: POOL_HEALTH_REFRESH_MS });
  return (
    <section aria-labelledby="default-pool-heading" className="space-y-2">
      <QueryState query={query}>
        {(pool) => (
          <>
            <h2 id="default-pool-heading" className="text-lg font-semibold">
              Default pool: {pool.name}
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {algorithmLabel(pool.algorithm)}, health check GET {pool.healthCheck.path} every {pool.healthCheck.intervalSeconds} s ·{" "}
              <PoolHealthSummary pool={pool} /> ·{" "}
              <Link href={`/load-balancers/${loadBalancerId}`} className="text-blue-700 hover:underline dark:text-blue-300">
                Edit on the Pools tab
              </Link>
            </p>
            <Table caption={`Members of pool ${pool.name}`} head={["Member", "Weight", "Health"]}>
              {pool.members.length === 0 ? (
                <EmptyRow colSpan={3}>No members: requests are answered 503 until the pool has one.</EmptyRow>
              ) : (
                pool.members.map((member) => (
                  <tr key={memberKey(member)}>
                    <Td label="Member">
                      <code className="text-xs">{memberKey(member)}</code>
                    </Td>
                    <Td label="Weight">{member.weight}</Td>
                    <Td label="Health">
                      <MemberHealthBadge health={member.health} />
                    </Td>
                  </tr>
                ))
              )}
            </Table>
          </>
        )}
      </QueryState>
    </section>
  );
}
