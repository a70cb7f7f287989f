import { Badge } from "@/components/ui/badge";
import type { LoadBalancerSummaryView } from "@/components/data/api";

export function LoadBalancerStatusBadge({ status }: { status: LoadBalancerSummaryView["status"] }) {
  if (status === "active") return <Badge tone="green">Active</Badge>;
  if (status === "degraded") return <Badge tone="red">Degraded</Badge>;
  if (status === "stopped") return <Badge tone="amber">Not served</Badge>;
  return <Badge tone="slate">No listeners</Badge>;
}
