"use client";
// The impact preview (issue 13): before a Client CA change is saved, who among the clients this
// listener saw lately it would refuse. The server judges each client's stored certificate with the
// data plane's own rules (POST /listeners/{id}/impact); this shows the answer.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { IMPACT_HOURS, type ImpactView } from "@/components/data/api";
import { queries } from "@/components/data/queries";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td } from "@/components/ui/table";
import { impactHeadline, shortFingerprint, unassessedNote } from "./impact-text";
import { REASON_LABELS } from "./reasons";

/** How long after the last change of a setting the preview is asked for: one request per pause, not per click. */
export const PREVIEW_DEBOUNCE_MS = 300;

/** `value` once it has stayed the same for `ms`; compared by its JSON, so a rebuilt object with the same content is the same value. */
function useDebounced<T>(value: T, ms: number): T {
  const json = JSON.stringify(value);
  const [settled, setSettled] = useState(json);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(json), ms);
    return () => clearTimeout(timer);
  }, [json, ms]);
  return JSON.parse(settled) as T;
}

/**
 * The preview of `body` (a listener PATCH body) against the listener at `version`, asked for once
 * the settings have stayed put for PREVIEW_DEBOUNCE_MS. While a new answer is on its way the last
 * one stays on show (marked as updating), so the section does not jump at every click.
 */
export function useImpactPreview(listenerId: string, version: number, body: unknown, enabled: boolean) {
  const settled = useDebounced(body, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({ ...queries.impact(listenerId, version, settled), enabled, placeholderData: keepPreviousData, retry: false });
  const settling = JSON.stringify(settled) !== JSON.stringify(body);
  return { query, updating: enabled && (settling || query.isPlaceholderData || query.isFetching) };
}

const tones = {
  neutral: "text-slate-700 dark:text-slate-300",
  green: "text-green-800 dark:text-green-300",
  amber: "text-amber-900 dark:text-amber-200",
};

/**
 * The preview section. `blocked`: why nothing can be previewed yet (the settings are incomplete);
 * a failed preview is only noted, never in the way of editing or saving.
 */
export function ImpactPreview({
  id,
  query,
  updating,
  blocked,
}: {
  id: string;
  query: { data: ImpactView | undefined; isPending: boolean; isError: boolean; error: Error | null };
  updating: boolean;
  blocked?: string | null;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} aria-busy={updating} className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <div className="flex items-baseline gap-2">
        <h4 id={`${id}-heading`} className="text-sm font-semibold">
          Impact preview
        </h4>
        {updating && !blocked ? <span className="text-xs text-slate-600 dark:text-slate-400">Updating…</span> : null}
      </div>
      <ImpactBody id={id} query={query} blocked={blocked} />
    </section>
  );
}

function ImpactBody({ id, query, blocked }: { id: string; query: Parameters<typeof ImpactPreview>[0]["query"]; blocked?: string | null }) {
  const muted = "text-sm text-slate-600 dark:text-slate-400";
  if (blocked) return <p className={muted}>{blocked}</p>;
  if (query.isError && !query.data) {
    return (
      <p className="text-sm text-amber-900 dark:text-amber-200">
        The preview could not be computed: {query.error?.message ?? "the server did not answer."} Saving still works.
      </p>
    );
  }
  if (!query.data) return <p className={muted}>Checking the clients seen in the last {IMPACT_HOURS} hours…</p>;
  const impact = query.data;
  const headline = impactHeadline(impact, IMPACT_HOURS);
  const note = unassessedNote(impact.unassessed);
  return (
    <>
      <p id={`${id}-headline`} role="status" className={`text-sm font-medium ${tones[headline.tone]}`}>
        {headline.text}
      </p>
      {impact.wouldBeRefused.length > 0 ? <RefusedClientsTable impact={impact} /> : null}
      {note ? <p className={muted}>{note}</p> : null}
    </>
  );
}

/** "CN=client-other,O=Other Corp", wrapped after a comma rather than inside a name in a narrow column. */
function DistinguishedName({ value }: { value: string }) {
  const parts = value.split(",");
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 ? (
            <>
              ,<wbr />
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}

/** One row per client the change would refuse; "No certificate" stands for every client that sent none. */
export function RefusedClientsTable({ impact }: { impact: ImpactView }) {
  return (
    <Table caption="Clients this change would refuse" head={["Subject", "Issuer", "Fingerprint", "Last seen", "Connections", "Reason"]}>
      {impact.wouldBeRefused.map((client) => (
        <tr key={client.fingerprintSha256 ?? "no-certificate"}>
          <Td label="Subject" className="break-words text-xs">
            {client.subject ? <DistinguishedName value={client.subject} /> : <em>No certificate</em>}
          </Td>
          <Td label="Issuer" className="break-words text-xs">
            {client.issuer ? <DistinguishedName value={client.issuer} /> : "—"}
          </Td>
          <Td label="Fingerprint" className="text-xs">
            {client.fingerprintSha256 ? (
              <code title={client.fingerprintSha256} aria-label={`SHA-256 ${client.fingerprintSha256}`}>
                {shortFingerprint(client.fingerprintSha256)}
              </code>
            ) : (
              "—"
            )}
          </Td>
          <Td label="Last seen" className="whitespace-nowrap text-xs">
            <RelativeTime value={client.lastSeenAt} />
          </Td>
          <Td label="Connections" className="text-xs">
            {client.connections}
          </Td>
          <Td label="Reason" className="text-xs">
            {REASON_LABELS[client.reason] ?? client.reason}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
