import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { ListenersTable } from "./schema";

export type ListenerRow = Selectable<ListenersTable>;
/** A listener with its pinned client certificates, in the order they were chosen. */
export type ListenerRecord = ListenerRow & { trusted_certificate_ids: string[] };

async function attachTrusted(db: Db, rows: ListenerRow[]): Promise<ListenerRecord[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("listener_trusted_certificates")
    .selectAll()
    .where(
      "listener_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("position")
    .execute();
  return rows.map((row) => ({
    ...row,
    trusted_certificate_ids: links.filter((l) => l.listener_id === row.id).map((l) => l.certificate_id),
  }));
}

export async function findListener(db: Db, id: string): Promise<ListenerRecord | undefined> {
  const row = await db.selectFrom("listeners").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? (await attachTrusted(db, [row]))[0] : undefined;
}

export async function listListenersOf(db: Db, loadBalancerId: string): Promise<ListenerRecord[]> {
  const rows = await db
    .selectFrom("listeners")
    .selectAll()
    .where("load_balancer_id", "=", loadBalancerId)
    .orderBy("port")
    .execute();
  return attachTrusted(db, rows);
}

export async function listAllListeners(db: Db): Promise<ListenerRecord[]> {
  return attachTrusted(db, await db.selectFrom("listeners").selectAll().orderBy("port").execute());
}

/** The listeners' ids with what changes on every save (version, updated_at), in port order: what a reload compares first. */
export async function listListenerStamps(db: Db): Promise<Pick<ListenerRow, "id" | "version" | "updated_at">[]> {
  return db.selectFrom("listeners").select(["id", "version", "updated_at"]).orderBy("port").execute();
}

export async function findListenersByIds(db: Db, ids: string[]): Promise<ListenerRecord[]> {
  if (ids.length === 0) return [];
  return attachTrusted(db, await db.selectFrom("listeners").selectAll().where("id", "in", ids).execute());
}

export async function findListenerByPort(db: Db, port: number): Promise<ListenerRow | undefined> {
  return db.selectFrom("listeners").selectAll().where("port", "=", port).executeTakeFirst();
}

export async function insertListener(db: Db, record: ListenerRecord): Promise<void> {
  const { trusted_certificate_ids, ...row } = record;
  await db.insertInto("listeners").values(row).execute();
  await replaceTrusted(db, row.id, trusted_certificate_ids);
}

/**
 * Writes the listener only if nobody saved since `expectedVersion` was read; returns false
 * when the version moved on (the caller answers 409 rather than overwrite silently).
 */
export async function updateListenerIfVersion(db: Db, record: ListenerRecord, expectedVersion: number): Promise<boolean> {
  const { trusted_certificate_ids, id, ...row } = record;
  const result = await db
    .updateTable("listeners")
    .set(row)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await replaceTrusted(db, id, trusted_certificate_ids);
  return true;
}

async function replaceTrusted(db: Db, listenerId: string, certificateIds: string[]): Promise<void> {
  await db.deleteFrom("listener_trusted_certificates").where("listener_id", "=", listenerId).execute();
  if (certificateIds.length === 0) return;
  await db
    .insertInto("listener_trusted_certificates")
    .values(certificateIds.map((certificate_id, position) => ({ listener_id: listenerId, certificate_id, position })))
    .execute();
}

export async function deleteListenerRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("listeners").where("id", "=", id).execute();
}

export async function findListenerByName(db: Db, loadBalancerId: string, name: string): Promise<ListenerRow | undefined> {
  return db
    .selectFrom("listeners")
    .selectAll()
    .where("load_balancer_id", "=", loadBalancerId)
    .where("name", "=", name)
    .executeTakeFirst();
}
