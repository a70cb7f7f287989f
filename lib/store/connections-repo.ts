// The persisted connection log: written in batches by the data plane's process (never on the
// handshake path), read newest first by the API, bounded to the newest rows per listener.
import "server-only";
import type { Insertable } from "kysely";
import { decodeIdCursor, toIdPage } from "./pagination";
import type { Db } from "./database";
import type { ConnectionEventsTable } from "./schema";
import type { ConnectionOutcome } from "../dataplane/types";

/** How many connections are kept per listener; older ones are pruned as new ones are written. */
export const CONNECTIONS_KEPT_PER_LISTENER = 10_000;
/** Rows per INSERT: 500 × 10 columns stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

export type ConnectionEventRow = Insertable<ConnectionEventsTable>;

/** A presented client certificate for presented_certificates (the impact preview's input). */
export interface PresentedCertificateRow {
  fingerprintSha256: string;
  der: Buffer;
  chain: Buffer[];
}

/** One entry of `GET /api/v1/listeners/{id}/connections` (docs/api.md "Logs"). */
export interface ConnectionEventView {
  at: string;
  remoteAddress: string;
  outcome: ConnectionOutcome;
  reason: string;
  tlsProtocol: string | null;
  clientCertificate: null | { subject: string; issuer: string; fingerprintSha256: string };
}

/**
 * Writes a batch in one transaction and prunes every listener it touched to the newest `keep`
 * rows. Rows of listeners that no longer exist are dropped (deleted while queued). Returns how
 * many rows were written.
 */
export async function appendConnectionEvents(
  db: Db,
  rows: readonly ConnectionEventRow[],
  keep = CONNECTIONS_KEPT_PER_LISTENER,
  options: { certificates?: readonly PresentedCertificateRow[]; pruneCertificates?: boolean } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await storePresentedCertificates(trx, options.certificates ?? []);
    const touched = [...new Set(rows.map((row) => row.listener_id))];
    const existing = new Set(
      (await trx.selectFrom("listeners").select("id").where("id", "in", touched).execute()).map((row) => row.id),
    );
    const live = rows.filter((row) => existing.has(row.listener_id));
    for (let start = 0; start < live.length; start += INSERT_CHUNK) {
      await trx.insertInto("connection_events").values(live.slice(start, start + INSERT_CHUNK)).execute();
    }
    for (const listenerId of existing) {
      // The id of the oldest row to keep; everything older goes. NULL (fewer rows) deletes nothing.
      const oldestKept = trx
        .selectFrom("connection_events")
        .select("id")
        .where("listener_id", "=", listenerId)
        .orderBy("id", "desc")
        .limit(1)
        .offset(keep - 1);
      await trx.deleteFrom("connection_events").where("listener_id", "=", listenerId).where("id", "<", oldestKept).execute();
    }
    // The certificates the pruned rows (and deleted listeners' logs) were the last to refer to. Not on
    // every batch: the scan is over all stored certificates, and a few minutes' leftovers cost nothing.
    if (options.pruneCertificates) {
      await trx
        .deleteFrom("presented_certificates")
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("connection_events").select("id").whereRef("connection_events.client_fingerprint_sha256", "=", "presented_certificates.fingerprint_sha256"))),
        )
        .execute();
    }
    return live.length;
  });
}

/** Inserts or refreshes (the chain a client sends can change) each certificate, once per batch. */
async function storePresentedCertificates(db: Db, certificates: readonly PresentedCertificateRow[]): Promise<void> {
  const byFingerprint = new Map(certificates.map((certificate) => [certificate.fingerprintSha256, certificate]));
  const storedAt = new Date().toISOString();
  for (const certificate of byFingerprint.values()) {
    const chainJson = JSON.stringify(certificate.chain.map((cert) => cert.toString("base64")));
    await db
      .insertInto("presented_certificates")
      .values({ fingerprint_sha256: certificate.fingerprintSha256, der: certificate.der, chain_json: chainJson, stored_at: storedAt })
      .onConflict((conflict) => conflict.column("fingerprint_sha256").doUpdateSet({ chain_json: chainJson, stored_at: storedAt }))
      .execute();
  }
}

/** One distinct client of a listener's log in a time window: a certificate, or (fingerprint null) none. */
export interface ClientSeen {
  fingerprintSha256: string | null;
  subject: string | null;
  issuer: string | null;
  connections: number;
  lastSeenAt: string;
}

/**
 * The clients that completed a handshake (or were refused for want of a certificate) on a listener
 * since `from`, one row per certificate and one for "no certificate". Handshakes that failed for
 * other TLS reasons (tls_error) presented nothing that could be judged.
 */
export async function listClientsSeen(db: Db, listenerId: string, from: string): Promise<ClientSeen[]> {
  const rows = await db
    .selectFrom("connection_events")
    .select(({ fn }) => [
      "client_fingerprint_sha256",
      fn.max("client_subject").as("subject"),
      fn.max("client_issuer").as("issuer"),
      fn.countAll().as("connections"),
      fn.max("at").as("last_seen_at"),
    ])
    .where("listener_id", "=", listenerId)
    .where("at", ">=", from)
    .where("reason", "!=", "tls_error")
    .groupBy("client_fingerprint_sha256")
    .execute();
  return rows.map((row) => ({
    fingerprintSha256: row.client_fingerprint_sha256,
    subject: row.subject,
    issuer: row.issuer,
    connections: Number(row.connections),
    lastSeenAt: row.last_seen_at,
  }));
}

/** The stored bytes of these certificates, by fingerprint (absent: not kept, e.g. logged before certgate kept them). */
export async function findPresentedCertificates(db: Db, fingerprints: readonly string[]): Promise<Map<string, { der: Buffer; chain: Buffer[] }>> {
  const found = new Map<string, { der: Buffer; chain: Buffer[] }>();
  for (let start = 0; start < fingerprints.length; start += INSERT_CHUNK) {
    const rows = await db
      .selectFrom("presented_certificates")
      .selectAll()
      .where("fingerprint_sha256", "in", fingerprints.slice(start, start + INSERT_CHUNK))
      .execute();
    for (const row of rows) {
      const chain = (JSON.parse(row.chain_json) as string[]).map((cert) => Buffer.from(cert, "base64"));
      found.set(row.fingerprint_sha256, { der: Buffer.from(row.der), chain });
    }
  }
  return found;
}

/** Counts of a listener's log since `from`, by outcome; wouldRejectClients counts distinct certificates (and "none"). */
export async function summarizeConnections(
  db: Db,
  listenerId: string,
  from: string,
): Promise<{ connections: number; accepted: number; rejected: number; wouldReject: number; wouldRejectClients: number }> {
  const byOutcome = await db
    .selectFrom("connection_events")
    .select(({ fn }) => ["outcome", fn.countAll().as("count")])
    .where("listener_id", "=", listenerId)
    .where("at", ">=", from)
    .groupBy("outcome")
    .execute();
  const clients = await db
    .selectFrom("connection_events")
    .select("client_fingerprint_sha256")
    .distinct()
    .where("listener_id", "=", listenerId)
    .where("at", ">=", from)
    .where("outcome", "=", "would_reject")
    .execute();
  const count = (outcome: ConnectionOutcome) => Number(byOutcome.find((row) => row.outcome === outcome)?.count ?? 0);
  const accepted = count("accepted");
  const rejected = count("rejected");
  const wouldReject = count("would_reject");
  return { connections: accepted + rejected + wouldReject, accepted, rejected, wouldReject, wouldRejectClients: clients.length };
}

/** Newest first; the cursor is the id of the last row of the previous page. */
export async function listConnectionEvents(
  db: Db,
  listenerId: string,
  page: { limit: number; cursor: string | null },
): Promise<{ items: ConnectionEventView[]; nextCursor: string | null }> {
  let query = db.selectFrom("connection_events").selectAll().where("listener_id", "=", listenerId);
  if (page.cursor !== null) query = query.where("id", "<", decodeIdCursor(page.cursor));
  const rows = await query.orderBy("id", "desc").limit(page.limit + 1).execute();
  return toIdPage(rows, page.limit, (row) => ({
      at: row.at,
      remoteAddress: row.remote_address,
      outcome: row.outcome,
      reason: row.reason,
      tlsProtocol: row.tls_protocol,
      clientCertificate:
        row.client_fingerprint_sha256 === null
          ? null
          : { subject: row.client_subject ?? "", issuer: row.client_issuer ?? "", fingerprintSha256: row.client_fingerprint_sha256 },
  }));
}
