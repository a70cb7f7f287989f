// The persisted connection log: written in batches by the data plane's process (never on the
// handshake path), read newest first by the API, bounded to the newest rows per listener.
import "server-only";
import type { Insertable } from "kysely";
import { decodeIdCursor, toIdPage } from "./pagination";
import type { Db } from "./database";
import type { ConnectionEventsTable } from "./schema";

/** How many connections are kept per listener; older ones are pruned as new ones are written. */
export const CONNECTIONS_KEPT_PER_LISTENER = 10_000;
/** Rows per INSERT: 500 × 10 columns stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

export type ConnectionEventRow = Insertable<ConnectionEventsTable>;

/** One entry of `GET /api/v1/listeners/{id}/connections` (docs/api.md "Logs"). */
export interface ConnectionEventView {
  at: string;
  remoteAddress: string;
  outcome: "accepted" | "rejected";
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
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
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
    return live.length;
  });
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
