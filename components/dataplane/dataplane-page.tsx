"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { PermittedButton } from "@/components/auth/permitted-button";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { QueryState } from "@/components/ui/query-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { ForgetNodeDialog } from "./forget-node-dialog";
import { listenerCounts, revisionStatus, STATE_LABELS, storeOutageText, type NodeView } from "./format";

/** Often enough that a node killed with -9 turns Gone within a few seconds of its timeout, without a reload. */
export const NODES_REFRESH_MS = 2_000;

const linkClass = "text-blue-700 hover:underline dark:text-blue-300";
const muted = "text-xs text-slate-600 dark:text-slate-400";

export function DataplanePage() {
  const query = useQuery({ ...queries.dataplaneNodes(), refetchInterval: NODES_REFRESH_MS });
  const [forgettingId, setForgettingId] = useState<string | null>(null);
  const forgetting = query.data?.items.find((node) => node.id === forgettingId) ?? null;

  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Data plane</h1>
      <QueryState query={query}>
        {(data) => (
          <>
            <p className="max-w-3xl text-sm text-slate-700 dark:text-slate-300">
              Every process that serves the listeners registers here: the console&apos;s embedded endpoints and each{" "}
              <code className="font-mono">npm run dataplane</code>. A node is <strong>Up</strong> while it reports every second,{" "}
              <strong>Gone</strong> after {data.goneAfterSeconds} s without a report (killed, or cut off from the store), and{" "}
              <strong>Stopped</strong> when it shut down cleanly. The newest configuration is revision {data.configRevision}.
            </p>
            <Table caption="Data-plane nodes" head={["Node", "Address", "State", "Version", "Configuration", "Started", "Last seen", "Listeners", "Metrics", "Actions"]}>
              {data.items.length === 0 ? (
                <EmptyRow colSpan={10}>
                  No data-plane node has registered, so no listener is served. Start one with <code className="font-mono">npm run dataplane</code>{" "}
                  (same <code className="font-mono">DATA_DIR</code> or <code className="font-mono">DATABASE_URL</code> as the console), or start the
                  console with its embedded endpoints (<code className="font-mono">npm start</code> without{" "}
                  <code className="font-mono">CERTGATE_EMBEDDED_DATAPLANE=0</code>).
                </EmptyRow>
              ) : (
                data.items.map((node) => <NodeRow key={node.id} node={node} configRevision={data.configRevision} onForget={() => setForgettingId(node.id)} />)
              )}
            </Table>
          </>
        )}
      </QueryState>
      {forgetting ? <ForgetNodeDialog key={forgetting.id} node={forgetting} open onOpenChange={(open) => !open && setForgettingId(null)} /> : null}
    </section>
  );
}

function NodeRow({ node, configRevision, onForget }: { node: NodeView; configRevision: number; onForget: () => void }) {
  const state = STATE_LABELS[node.state];
  const revision = revisionStatus(node.appliedRevision, configRevision);
  return (
    <tr>
      {/* A cell's parts in one div: on a phone each cell is a flex line (label, value), and the parts stack within the value. */}
      <Td label="Node">
        <div>
          <span className="block font-medium [overflow-wrap:anywhere]">{node.id}</span>
          <span className={`block ${muted}`}>host {node.hostname}</span>
          <span className={`block ${muted}`}>pid {node.pid}</span>
        </div>
      </Td>
      <Td label="Address">
        <code className="text-xs">{node.address}</code>
      </Td>
      <Td label="State">
        <div className="flex flex-col items-start gap-1">
          <Badge tone={state.tone}>{state.label}</Badge>
          {node.lastStoreOutage ? (
            <span className={`max-w-56 ${muted}`}>
              {storeOutageText(node.lastStoreOutage)}
            </span>
          ) : null}
        </div>
      </Td>
      <Td label="Version">
        <div>
          <span className="block">{node.version}</span>
          <span className={`block ${muted}`}>{node.workers === 1 ? "1 worker" : `${node.workers} workers`}</span>
        </div>
      </Td>
      <Td label="Configuration">
        <div>
          <span className="block whitespace-nowrap">
            <Badge tone={revision.inSync ? "green" : "amber"}>{revision.text}</Badge>
          </span>
          <span className={`block ${muted}`}>revision {node.appliedRevision}</span>
        </div>
      </Td>
      <Td label="Started">
        <RelativeTime value={node.startedAt} />
      </Td>
      <Td label="Last seen">
        <RelativeTime value={node.lastSeenAt} />
      </Td>
      <Td label="Listeners">
        <NodeListeners node={node} />
      </Td>
      <Td label="Metrics">
        {node.metricsUrl ? (
          <a href={node.metricsUrl} className={`${linkClass} break-all`}>
            {node.metricsUrl}
          </a>
        ) : (
          <span className={muted}>Off</span>
        )}
      </Td>
      <Td label="Actions">
        {node.state === "up" ? (
          <span className={muted}>—</span>
        ) : (
          <PermittedButton permission="operate" variant="danger" aria-label={`Forget node ${node.id}`} onClick={onForget}>
            Forget
          </PermittedButton>
        )}
      </Td>
    </tr>
  );
}

/** What the node serves; a gone node shows what it last reported (it may still serve, cut off from the store). */
function NodeListeners({ node }: { node: NodeView }) {
  const counts = listenerCounts(node);
  if (node.state === "stopped") return <span className={muted}>None: it closed its endpoints</span>;
  if (counts.serving + counts.stopped + counts.errors.length === 0) return <span className={muted}>None</span>;
  return (
    <div className="space-y-1">
      {node.state === "up" ? null : <span className={`block ${muted}`}>When last seen:</span>}
      <span className="block">
        {counts.serving} serving
        {counts.errors.length > 0 ? <span className="text-red-800 dark:text-red-300"> · {counts.errors.length} in error</span> : null}
      </span>
      {counts.errors.length > 0 ? (
        <ul className="space-y-1">
          {counts.errors.map(({ listenerId, error }) => (
            <li key={listenerId} className="max-w-xs text-xs">
              <ListenerName id={listenerId} />: <span className="text-red-800 dark:text-red-300">{error}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A listener in error on a node, by name (read on demand: errors are few), linking to its page. */
function ListenerName({ id }: { id: string }) {
  const listener = useQuery({ ...queries.listener(id), retry: false });
  return (
    <Link href={`/listeners/${id}`} className={linkClass}>
      {listener.data?.name ?? (listener.isError ? `listener ${id} (deleted)` : `listener ${id}`)}
    </Link>
  );
}
