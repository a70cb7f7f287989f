import type { ListenerView } from "@/components/data/api";
import { Badge } from "@/components/ui/badge";

/** Client CA as the operator asks about it: off, or which CA clients must chain to. */
export function ClientCaBadge({ listener, caName }: { listener: ListenerView; caName: string | undefined }) {
  if (listener.protocol !== "HTTPS") return <span>—</span>;
  const { enabled, caCertificateId } = listener.clientAuth;
  if (!enabled) return <Badge tone="slate">Disabled</Badge>;
  if (!caCertificateId) return <Badge tone="blue">Trusted certificates only</Badge>;
  return <Badge tone="blue">{caName ?? "CA certificate"}</Badge>;
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
