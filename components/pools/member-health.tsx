import type { PoolView } from "@/components/data/api";
import { Badge } from "@/components/ui/badge";

type Member = PoolView["members"][number];

const TONE = { healthy: "green", unhealthy: "red", unknown: "slate" } as const;
const LABEL = { healthy: "Healthy", unhealthy: "Unhealthy", unknown: "Unknown" } as const;

export function MemberHealthBadge({ health }: { health: Member["health"] }) {
  return <Badge tone={TONE[health]}>{LABEL[health]}</Badge>;
}

/** "2 of 3 healthy" as a badge (green: all, amber: some, red: none), then a badge per other state some member is in. */
export function PoolHealthSummary({ pool }: { pool: PoolView }) {
  const count = (health: Member["health"]) => pool.members.filter((m) => m.health === health).length;
  if (pool.members.length === 0) return <span className="text-slate-600 dark:text-slate-400">No members</span>;
  const healthy = count("healthy");
  const tone = healthy === pool.members.length ? "green" : healthy > 0 ? "amber" : count("unhealthy") > 0 ? "red" : "slate";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tone}>
        {healthy} of {pool.members.length} healthy
      </Badge>
      {(["unhealthy", "unknown"] as const).map((health) =>
        count(health) > 0 ? (
          <Badge key={health} tone={TONE[health]}>
            {count(health)} {health}
          </Badge>
        ) : null,
      )}
    </span>
  );
}

export const algorithmLabel = (algorithm: PoolView["algorithm"]) => (algorithm === "round_robin" ? "Round robin" : "Least connections");
