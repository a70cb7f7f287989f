"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryKeys, type LoadBalancerView } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateListenerDialog } from "./create-listener-dialog";
import { EditListenerDialog } from "./edit-listener-dialog";
import { ClientCaBadge, EndpointState } from "./listener-badges";
import Link from "next/link";

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
              <Td>
                <Link href={`/listeners/${listener.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                  {listener.name}
                </Link>
              </Td>
              <Td>{listener.protocol}</Td>
              <Td>{listener.port}</Td>
              <Td>{listener.protocol === "HTTPS" ? certificateName(listener.certificateId) : "—"}</Td>
              <Td>
                <ClientCaBadge listener={listener} />
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
