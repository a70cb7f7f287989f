// The config revision: a counter in `meta` bumped in the same transaction as every change that can
// alter what an endpoint serves. A data-plane node reloads when it moves; a save waits until every
// live node reports (lib/store/dataplane-nodes-repo.ts) that it applied it. On PostgreSQL the bump
// also sends NOTIFY on CONFIG_CHANNEL, delivered to every listening node when the transaction
// commits (and never for one that rolls back), so nodes do not have to poll fast.
import "server-only";
import { PostgresAdapter, sql } from "kysely";
import type { Db } from "./database";

const REVISION_KEY = "config_revision";
/**
 * The PostgreSQL LISTEN/NOTIFY channel that says "revision N exists". Payload "<schema>:<N>": channels
 * are per database, so installations in different schemas of one database hear each other (only an
 * extra revision read); the schema lets a reader tell them apart.
 */
export const CONFIG_CHANNEL = "certgate_config";

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Call inside the transaction that makes the change, beside its audit event. Returns the new revision. */
export async function bumpConfigRevision(trx: Db): Promise<number> {
  const row = await trx
    .insertInto("meta")
    .values({ key: REVISION_KEY, value: "1" })
    // The row lock serializes concurrent bumps, so two changes never publish the same number.
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: sql<string>`CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  const revision = Number(row.value);
  if (isPostgres(trx)) await sql`SELECT pg_notify(${CONFIG_CHANNEL}, current_schema() || ':' || ${String(revision)})`.execute(trx);
  return revision;
}

/** The revision a CONFIG_CHANNEL payload announces. */
export function revisionOfNotification(payload: string): number {
  return Number(payload.slice(payload.lastIndexOf(":") + 1));
}

/** 0 until the first change. */
export async function readConfigRevision(db: Db): Promise<number> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", REVISION_KEY).executeTakeFirst();
  return row ? Number(row.value) : 0;
}
