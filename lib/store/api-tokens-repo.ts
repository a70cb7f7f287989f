import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { ApiTokensTable } from "./schema";
import type { UserRow } from "./users-repo";

export type ApiTokenRow = Selectable<ApiTokensTable>;

export async function insertApiToken(db: Db, row: ApiTokenRow): Promise<void> {
  await db.insertInto("api_tokens").values(row).execute();
}

export async function listApiTokensOfUser(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom("api_tokens").selectAll().where("user_id", "=", userId).orderBy("created_at", "desc").orderBy("id").execute();
}

export async function findApiToken(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The token and its user in one read: the per-request check of a bearer token. */
export async function findApiTokenWithUser(db: Db, id: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id as token_id", "t.user_id", "t.name", "t.secret_hash", "t.created_at as token_created_at", "t.expires_at", "t.last_used_at"])
    .select(["u.id", "u.username", "u.username_key", "u.password_hash", "u.role", "u.disabled", "u.client_certificate_auth", "u.created_at", "u.updated_at", "u.last_sign_in_at"])
    .where("t.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, user_id, name, secret_hash, token_created_at, expires_at, last_used_at, ...user } = row;
  return { token: { id: token_id, user_id, name, secret_hash, created_at: token_created_at, expires_at, last_used_at }, user };
}

export async function touchApiToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
}

export async function deleteApiTokenRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("api_tokens").where("id", "=", id).execute();
}
