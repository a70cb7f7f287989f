"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryKeys, type ListenerView, type LoadBalancerView } from "@/components/data/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateListenerDialog } from "./create-listener-dialog";
import { EditListenerDialog } from "./edit-listener-dialog";

export function ListenersTab({ loadBalancer }: { loadBalancer: LoadBalancerView }) {
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const certificates = useQuery({ queryKey: queryKeys.certificates(), queryFn: () => api.certificates() });
  const certificateName = (id: string | null) => (id ? (certificates.data?.items.find((c) => c.id === id)?.name ?? "…") : "—");
  const editing = loadBalancer.listeners.find((l) => l.id === editingId) ?? null;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold">Listeners</h2>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create listener
        </Button>
      </div>
      <Table caption="Listeners" head={["Name", "Protocol", "Port", "Certificate", "Client CA", "Endpoint", "State", "Actions"]}>
        {loadBalancer.listeners.length === 0 ? (
          <EmptyRow colSpan={8}>No listeners yet. Create one to serve traffic.</EmptyRow>
        ) : (
          loadBalancer.listeners.map((listener) => (
            <tr key={listener.id}>
              <Td className="font-medium">{listener.name}</Td>
              <Td>{listener.protocol}</Td>
              <Td>{listener.port}</Td>
              <Td>{listener.protocol === "HTTPS" ? certificateName(listener.certificateId) : "—"}</Td>
              <Td>
                {listener.protocol === "HTTPS" ? (
                  listener.clientAuth.enabled ? <Badge tone="blue">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>
                ) : (
                  "—"
                )}
              </Td>
              <Td>
                <code className="whitespace-nowrap text-xs">{listener.endpoint.url}</code>
              </Td>
              <Td>
                <EndpointState endpoint={listener.endpoint} />
              </Td>
              <Td>
                <Button onClick={() => setEditingId(listener.id)}>Edit</Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <CreateListenerDialog loadBalancerId={loadBalancer.id} open={creating} onOpenChange={setCreating} />
      {editing ? (
        <EditListenerDialog
          key={`${editing.id}`}
          listener={editing}
          loadBalancerId={loadBalancer.id}
          open
          onOpenChange={(open) => !open && setEditingId(null)}
        />
      ) : null}
    </div>
  );
}

function EndpointState({ endpoint }: { endpoint: ListenerView["endpoint"] }) {
  if (endpoint.state === "serving") return <Badge tone="green">Serving</Badge>;
  if (endpoint.state === "error") {
    return (
      <div className="space-y-1">
        <Badge tone="red">Error</Badge>
        <p className="max-w-xs text-xs text-red-800 dark:text-red-300">{endpoint.error}</p>
      </div>
    );
  }
  return <Badge tone="slate">Stopped</Badge>;
}
