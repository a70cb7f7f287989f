// "Who would this change lock out?" — the impact preview of proposed listener settings
// (docs/api.md "Impact preview", docs/design.md "Impact preview").
//
// The proposed settings are built exactly as a PATCH would build them (applyPatch + checkListener:
// the same 422s), turned into the data plane's client policy by the data plane's own builder, and
// every distinct client of the listener's recent connection log is judged by the data plane's own
// decision (lib/dataplane/predict-client.ts) on the certificate the log kept. Nothing is saved.
import { z } from "zod";
import { buildClientPolicy, judgingOf, ListenerLoadError, PeerCache, predictClient } from "../dataplane";
import type { ConnectionReason } from "../dataplane/types";
import { invalid, notFound } from "../errors";
import { listenerPatchSchema } from "../schemas/listeners";
import { parseInput } from "../schemas/parse";
import { findPresentedCertificates, listClientsSeen, summarizeConnections } from "../store/connections-repo";
import { findListener } from "../store/listeners-repo";
import { applyPatch, checkListener } from "./listeners";
import { loadClientAuthRuntime } from "./runtime-config-loader";
import type { Runtime } from "./runtime";

export const DEFAULT_WINDOW_HOURS = 24;

/** What the decision derives from each client certificate, kept across previews (bounded by PeerCache). */
const peers = new PeerCache();
/** The log keeps 10,000 connections per listener; a week is as far back as it is worth asking. */
export const MAX_WINDOW_HOURS = 24 * 7;

const windowQuerySchema = z.object({
  hours: z.coerce
    .number({ message: `hours must be a whole number from 1 to ${MAX_WINDOW_HOURS}.` })
    .int(`hours must be a whole number from 1 to ${MAX_WINDOW_HOURS}.`)
    .min(1, `hours must be a whole number from 1 to ${MAX_WINDOW_HOURS}.`)
    .max(MAX_WINDOW_HOURS, `hours must be a whole number from 1 to ${MAX_WINDOW_HOURS}.`)
    .default(DEFAULT_WINDOW_HOURS),
});

export interface RefusedClientView {
  /** null for the clients that presented no certificate (one entry for all of them). */
  subject: string | null;
  issuer: string | null;
  fingerprintSha256: string | null;
  lastSeenAt: string;
  connections: number;
  reason: ConnectionReason;
}

export interface ImpactView {
  window: { from: string; to: string };
  /** Distinct clients seen in the window: each certificate, and "no certificate" once. */
  clientsSeen: number;
  wouldBeRefused: RefusedClientView[];
  wouldBeAccepted: number;
  /** Clients whose certificate the log did not keep (logged before certgate kept them), so not judged. */
  unassessed: number;
}

export interface ConnectionSummaryView {
  window: { from: string; to: string };
  connections: number;
  accepted: number;
  rejected: number;
  wouldReject: number;
  /** Distinct certificates (and "no certificate") among the would_reject connections. */
  wouldRejectClients: number;
}

function windowOf(query: { hours?: unknown }): { from: string; to: string } {
  const { hours } = parseInput(windowQuerySchema, query);
  const to = Date.now();
  return { from: new Date(to - hours * 3_600_000).toISOString(), to: new Date(to).toISOString() };
}

export async function previewListenerImpact(rt: Runtime, id: string, input: unknown, query: { hours?: unknown }): Promise<ImpactView> {
  const patch = parseInput(listenerPatchSchema, input);
  const window = windowOf(query);
  const db = rt.store.db;
  const current = await findListener(db, id);
  if (!current) throw notFound("This listener");
  const proposed = applyPatch(current, patch);
  await checkListener(db, proposed);

  let policy;
  try {
    policy = proposed.protocol === "HTTPS" ? buildClientPolicy(await loadClientAuthRuntime(db, proposed)) : null;
  } catch (error) {
    if (error instanceof ListenerLoadError) throw invalid(error.message, "clientAuth");
    throw error;
  }
  const judging = judgingOf(policy !== null, proposed.client_auth_mode);

  const seen = await listClientsSeen(db, id, window.from);
  const fingerprints = seen.flatMap((client) => (client.fingerprintSha256 ? [client.fingerprintSha256] : []));
  const stored = await findPresentedCertificates(db, fingerprints);
  const now = Date.parse(window.to);
  const wouldBeRefused: RefusedClientView[] = [];
  let wouldBeAccepted = 0;
  let unassessed = 0;
  for (const client of seen) {
    const presented = client.fingerprintSha256 ? stored.get(client.fingerprintSha256) : null;
    if (presented === undefined) {
      unassessed += 1;
      continue;
    }
    const verdict = predictClient(presented, judging, policy, peers, now);
    if (verdict.outcome !== "rejected") {
      wouldBeAccepted += 1;
      continue;
    }
    wouldBeRefused.push({
      subject: client.subject,
      issuer: client.issuer,
      fingerprintSha256: client.fingerprintSha256,
      lastSeenAt: client.lastSeenAt,
      connections: client.connections,
      reason: verdict.reason,
    });
  }
  // The busiest clients first: the ones an outage would hurt most.
  wouldBeRefused.sort((a, b) => b.connections - a.connections || b.lastSeenAt.localeCompare(a.lastSeenAt));
  return { window, clientsSeen: seen.length, wouldBeRefused, wouldBeAccepted, unassessed };
}

/** The log's counts by outcome in a window: the running count of would-be refusals in report mode. */
export async function summarizeListenerConnections(rt: Runtime, id: string, query: { hours?: unknown }): Promise<ConnectionSummaryView> {
  const window = windowOf(query);
  if (!(await findListener(rt.store.db, id))) throw notFound("This listener");
  return { window, ...(await summarizeConnections(rt.store.db, id, window.from)) };
}
