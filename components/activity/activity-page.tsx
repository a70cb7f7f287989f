"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { useCertificateNames } from "@/components/data/certificates-by-id";
import { queries } from "@/components/data/queries";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Field } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Select } from "@/components/ui/select";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { PermittedButton } from "@/components/auth/permitted-button";
import type { AuditEventView, AuditFilter } from "@/components/data/api";
import { isRevertable } from "@/lib/schemas/audit";
import { actionLabel, certificateIdsInChange, describeChange } from "./describe-change";
import { nameOfChange, RevertChangeDialog } from "./revert-change-dialog";

const TARGET_TYPES = [
  { value: "", label: "Everything" },
  { value: "load_balancer", label: "Load balancers" },
  { value: "listener", label: "Listeners" },
  { value: "pool", label: "Pools" },
  { value: "certificate", label: "Certificates" },
  { value: "user", label: "Users and sign-ins" },
  { value: "api_token", label: "API tokens" },
  { value: "dataplane_node", label: "Data-plane nodes" },
];

/** `filter` comes from the URL (?targetType=&targetId=), read by the server page. */
export function ActivityPage({ filter }: { filter: AuditFilter }) {
  const router = useRouter();
  const pathname = usePathname();
  const filterKey = JSON.stringify(filter);
  // Cursors of the pages visited, per filter: "Newer" walks back without refetching from the top.
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = pages.key === filterKey ? pages.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({ ...queries.auditEvents(filter, cursor), refetchInterval: 10_000 });
  const nameOf = useCertificateNames((query.data?.items ?? []).flatMap((e) => certificateIdsInChange(e.details)));
  // A certificate deleted since keeps its id's first characters, which its audit events also show.
  const certificateName = (id: string) => nameOf(id) ?? id.slice(0, 8);
  // The event "Revert this change" was pressed on; kept while its dialog closes, so focus goes back.
  // `opened` counts the presses: each opens a fresh dialog, not the last one's answer.
  const [reverting, setReverting] = useState<{ event: AuditEventView; open: boolean; opened: number } | null>(null);

  const setFilter = (next: AuditFilter) => {
    const search = new URLSearchParams();
    if (next.targetType) search.set("targetType", next.targetType);
    if (next.targetId) search.set("targetId", next.targetId);
    router.replace(`${pathname}${search.size ? `?${search}` : ""}`);
  };

  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Activity</h1>
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-56">
          <Field id="activity-target" label="Target">
            <Select id="activity-target" value={filter.targetType ?? ""} onChange={(e) => setFilter({ targetType: e.target.value || undefined })}>
              {TARGET_TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {filter.targetId ? (
          <p className="flex items-center gap-2 text-sm">
            Showing one {filter.targetType?.replace("_", " ") ?? "target"} only.
            <Button variant="ghost" onClick={() => setFilter({ targetType: filter.targetType })}>
              Show all
            </Button>
          </p>
        ) : null}
      </div>
      <QueryState query={query}>
        {(page) => (
          <>
            <Table caption="Audit log, newest first" head={["When", "Who", "What", "Target", "Changes"]}>
              {page.items.length === 0 ? (
                <EmptyRow colSpan={5}>Nothing has changed yet.</EmptyRow>
              ) : (
                page.items.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <Td label="When">
                      <DateTime value={e.at} />
                    </Td>
                    <Td label="Who">
                      {e.actor}
                      {e.actorVia ? <span className="block text-xs text-slate-600 dark:text-slate-400">via {e.actorVia}</span> : null}
                    </Td>
                    <Td label="What">{actionLabel(e.action)}</Td>
                    <Td label="Target">
                      {e.target.type.replace("_", " ")}{" "}
                      <Link
                        className="font-medium text-blue-700 hover:underline dark:text-blue-300"
                        href={`/activity?targetType=${e.target.type}&targetId=${encodeURIComponent(e.target.id)}`}
                        title={`Only events for ${e.target.name}`}
                      >
                        {e.target.name}
                      </Link>
                    </Td>
                    <Td label="Changes">
                      {e.action === "listener.reverted" ? <RevertedNote details={e.details} /> : null}
                      <ul className="space-y-0.5 text-xs">
                        {describeChange(e.details, certificateName).map((line) => (
                          <li key={line.label}>
                            <span className="font-medium">{line.label}:</span> {line.before} → {line.after}
                          </li>
                        ))}
                      </ul>
                      {e.target.type === "listener" && isRevertable(e.action) ? (
                        <PermittedButton permission="operate" className="mt-2" onClick={() => setReverting((last) => ({ event: e, open: true, opened: (last?.opened ?? 0) + 1 }))}>
                          Revert this change
                        </PermittedButton>
                      ) : null}
                    </Td>
                  </tr>
                ))
              )}
            </Table>
            <nav aria-label="Pages" className="flex gap-2">
              <Button disabled={cursors.length === 1} onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })}>
                Newer
              </Button>
              <Button disabled={!page.nextCursor} onClick={() => page.nextCursor && setPages({ key: filterKey, cursors: [...cursors, page.nextCursor] })}>
                Older
              </Button>
            </nav>
          </>
        )}
      </QueryState>
      {reverting ? (
        <RevertChangeDialog
          key={reverting.opened}
          event={reverting.event}
          certificateName={certificateName}
          open={reverting.open}
          onOpenChange={(open) => setReverting({ ...reverting, open })}
        />
      ) : null}
    </section>
  );
}

/** A revert names the change it reverted: "Reverted Client CA enabled by admin on 2025-06-01 14:03 UTC". */
function RevertedNote({ details }: { details: Record<string, unknown> }) {
  const reverted = details.revertedEvent as { action?: unknown; actor?: unknown; at?: unknown } | undefined;
  if (typeof reverted?.action !== "string" || typeof reverted.actor !== "string" || typeof reverted.at !== "string") return null;
  return <p className="mb-1 text-xs">Reverted {nameOfChange({ action: reverted.action, actor: reverted.actor, at: reverted.at })}</p>;
}
