import "server-only";
import type { Selectable } from "kysely";
import type { PoolMemberRuntime } from "../dataplane/types";
import type { Db } from "./database";
import type { PoolsTable } from "./schema";

export type PoolRow = Selectable<PoolsTable>;
/** A pool with its members parsed: what the services work with. */
export type PoolRecord = Omit<PoolRow, "members_json"> & { members: PoolMemberRuntime[] };

function toRecord(row: PoolRow): PoolRecord {
  const { members_json, ...rest } = row;
  return { ...rest, members: JSON.parse(members_json) as PoolMemberRuntime[] };
}

function toRow(record: PoolRecord): PoolRow {
  const { members, ...rest } = record;
  // Only the fields the API knows, in a fixed order: the stored text compares equal when nothing changed.
  return { ...rest, members_json: JSON.stringify(members.map(({ address, port, weight }) => ({ address, port, weight }))) };
}

export async function findPool(db: Db, id: string): Promise<PoolRecord | undefined> {
  const row = await db.selectFrom("pools").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findPoolsByIds(db: Db, ids: string[]): Promise<PoolRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom("pools").selectAll().where("id", "in", ids).execute()).map(toRecord);
}

/** Every pool's id with what changes on every save (version, updated_at): what a reload compares first. */
export async function listPoolStamps(db: Db): Promise<Pick<PoolRow, "id" | "version" | "updated_at">[]> {
  return db.selectFrom("pools").select(["id", "version", "updated_at"]).execute();
}

export async function listPoolsOf(db: Db, loadBalancerId: string): Promise<PoolRecord[]> {
  const rows = await db.selectFrom("pools").selectAll().where("load_balancer_id", "=", loadBalancerId).orderBy("name").execute();
  return rows.map(toRecord);
}

export async function findPoolByName(db: Db, loadBalancerId: string, name: string): Promise<PoolRecord | undefined> {
  const row = await db
    .selectFrom("pools")
    .selectAll()
    .where("load_balancer_id", "=", loadBalancerId)
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function insertPool(db: Db, record: PoolRecord): Promise<void> {
  await db.insertInto("pools").values(toRow(record)).execute();
}

/** Writes the pool only if nobody saved since `expectedVersion` was read; false when the version moved on. */
export async function updatePoolIfVersion(db: Db, record: PoolRecord, expectedVersion: number): Promise<boolean> {
  const { id, ...row } = toRow(record);
  const result = await db.updateTable("pools").set(row).where("id", "=", id).where("version", "=", expectedVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePoolRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("pools").where("id", "=", id).execute();
}

/** The listeners forwarding to each of these pools (id, name), by pool id. */
export async function listenersUsingPools(db: Db, poolIds: string[]): Promise<Map<string, { listenerId: string; name: string }[]>> {
  const uses = new Map<string, { listenerId: string; name: string }[]>(poolIds.map((id) => [id, []]));
  if (poolIds.length === 0) return uses;
  const rows = await db
    .selectFrom("listeners")
    .select(["id", "name", "default_pool_id"])
    .where("default_pool_id", "in", poolIds)
    .orderBy("name")
    .execute();
  for (const row of rows) uses.get(row.default_pool_id!)?.push({ listenerId: row.id, name: row.name });
  return uses;
}
