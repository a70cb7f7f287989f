"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryKeys } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";

const ACTION_LABELS: Record<string, string> = {
  "certificate.uploaded": "Certificate uploaded",
  "certificate.deleted": "Certificate deleted",
  "load_balancer.created": "Load balancer created",
  "load_balancer.deleted": "Load balancer deleted",
  "listener.created": "Listener created",
  "listener.updated": "Listener changed",
  "listener.client_ca_enabled": "Client CA enabled",
  "listener.client_ca_disabled": "Client CA disabled",
  "listener.deleted": "Listener deleted",
};

export function ActivityPage() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({ queryKey: queryKeys.auditEvents(cursor), queryFn: () => api.auditEvents(cursor) });
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Activity</h1>
      <QueryState query={query}>
        {(page) => (
          <>
            <Table caption="Audit log" head={["When", "Who", "What", "Target"]}>
              {page.items.length === 0 ? (
                <EmptyRow colSpan={4}>Nothing has changed yet.</EmptyRow>
              ) : (
                page.items.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <Td className="whitespace-nowrap">{new Date(e.at).toLocaleString()}</Td>
                    <Td>{e.actor}</Td>
                    <Td>{ACTION_LABELS[e.action] ?? e.action}</Td>
                    <Td>
                      {e.target.type.replace("_", " ")} <span className="font-medium">{e.target.name}</span>
                    </Td>
                  </tr>
                ))
              )}
            </Table>
            <div className="flex gap-2">
              <Button disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </Button>
              <Button disabled={!page.nextCursor} onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor])}>
                Older
              </Button>
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}
