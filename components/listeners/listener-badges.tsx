import type { ListenerView } from "@/components/data/api";
import { Badge } from "@/components/ui/badge";
import { summarizeEndpoint } from "./node-summary";

/** Client CA as the operator asks about it: off, or which CA clients must chain to. */
export function ClientCaBadge({ listener, caName }: { listener: ListenerView; caName: string | undefined }) {
  if (listener.protocol !== "HTTPS") return <span>—</span>;
  const { enabled, caCertificateId } = listener.clientAuth;
  if (!enabled) return <Badge tone="slate">Disabled</Badge>;
  if (!caCertificateId) return <Badge tone="blue">Trusted certificates only</Badge>;
  return <Badge tone="blue">{caName ?? "CA certificate"}</Badge>;
}

/**
 * The endpoint over the live data-plane nodes: "Serving" (one node) or "Serving on 2 of 2 nodes", each
 * node's error named with the node, and a notice while a node has not applied the newest change.
 */
export function EndpointState({ endpoint }: { endpoint: ListenerView["endpoint"] }) {
  const summary = summarizeEndpoint(endpoint);
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Badge tone={summary.tone}>{summary.label}</Badge>
      {summary.errors.map((error) => (
        <span key={error} className="max-w-xs text-xs text-red-800 dark:text-red-300">
          {error}
        </span>
      ))}
      {summary.pending ? <span className="max-w-xs text-xs text-amber-800 dark:text-amber-300">{summary.pending}</span> : null}
    </span>
  );
}
