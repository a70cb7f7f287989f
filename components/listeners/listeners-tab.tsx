"use client";
import Link from "next/link";
import { PermittedButton } from "@/components/auth/permitted-button";
import { useState } from "react";
import type { LoadBalancerView } from "@/components/data/api";
import { useCertificateNames } from "@/components/data/certificates-by-id";
import { Badge } from "@/components/ui/badge";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateListenerDialog } from "./create-listener-dialog";
import { EditListenerDialog } from "./edit-listener-dialog";
import { ClientCaBadge, EndpointState } from "./listener-badges";

export function ListenersTab({ loadBalancer }: { loadBalancer: LoadBalancerView }) {
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const { listeners } = loadBalancer;
  const certificateName = useCertificateNames(listeners.flatMap((l) => [l.certificateId, l.clientAuth.caCertificateId]));
  const editing = listeners.find((l) => l.id === editingId) ?? null;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold">Listeners</h2>
        <PermittedButton permission="operate" showReason variant="primary" onClick={() => setCreating(true)}>
          Create listener
        </PermittedButton>
      </div>
      <Table caption="Listeners" head={["Name", "Protocol", "Port", "Certificate", "Client CA", "Endpoint", "State", "Actions"]}>
        {listeners.length === 0 ? (
          <EmptyRow colSpan={8}>No listeners yet. Create one to serve traffic.</EmptyRow>
        ) : (
          listeners.map((listener) => (
            <tr key={listener.id}>
              <Td label="Name">
                <Link href={`/listeners/${listener.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                  {listener.name}
                </Link>
              </Td>
              <Td label="Protocol">{listener.protocol}</Td>
              <Td label="Port">{listener.port}</Td>
              <Td label="Certificate">{listener.protocol === "HTTPS" ? (certificateName(listener.certificateId) ?? "—") : "—"}</Td>
              <Td label="Client CA">
                <span className="inline-flex flex-wrap gap-1">
                  <ClientCaBadge listener={listener} caName={certificateName(listener.clientAuth.caCertificateId)} />
                  {/* Looks enforced by its CA alone, but lets everyone in: say so where listeners are compared. */}
                  {listener.protocol === "HTTPS" && listener.clientAuth.enabled && listener.clientAuth.mode === "report" ? <Badge tone="amber">Report only</Badge> : null}
                </span>
              </Td>
              <Td label="Endpoint">
                <code className="text-xs sm:whitespace-nowrap">{listener.endpoint.url}</code>
              </Td>
              <Td label="State">
                <EndpointState endpoint={listener.endpoint} />
              </Td>
              <Td label="Actions">
                <PermittedButton permission="operate" onClick={() => setEditingId(listener.id)}>
                  Edit
                </PermittedButton>
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
          open
          onOpenChange={(open) => !open && setEditingId(null)}
        />
      ) : null}
    </div>
  );
}
