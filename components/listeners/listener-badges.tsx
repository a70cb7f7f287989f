import type { ListenerView } from "@/components/data/api";
import { Badge } from "@/components/ui/badge";

export function ClientCaBadge({ listener }: { listener: ListenerView }) {
  if (listener.protocol !== "HTTPS") return <span>—</span>;
  return listener.clientAuth.enabled ? <Badge tone="blue">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>;
}

export function EndpointState({ endpoint }: { endpoint: ListenerView["endpoint"] }) {
  if (endpoint.state === "serving") return <Badge tone="green">Serving</Badge>;
  if (endpoint.state === "error") {
    return (
      <span className="inline-flex flex-col gap-1">
        <Badge tone="red">Error</Badge>
        <span className="max-w-xs text-xs text-red-800 dark:text-red-300">{endpoint.error}</span>
      </span>
    );
  }
  return <Badge tone="slate">Stopped</Badge>;
}
