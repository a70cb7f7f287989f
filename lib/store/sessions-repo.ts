import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { SessionsTable } from "./schema";
import type { UserRow } from "./users-repo";

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
}

/** The session and its user in one read: the per-request check of a console session. */
export async function findSessionWithUser(db: Db, idHash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["s.id_hash", "s.user_id", "s.created_at", "s.last_seen_at", "s.expires_at"])
    .select(["u.id", "u.username", "u.username_key", "u.password_hash", "u.role", "u.disabled", "u.client_certificate_auth", "u.updated_at", "u.last_sign_in_at"])
    .select("u.created_at as user_created_at")
    .where("s.id_hash", "=", idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { id_hash, user_id, created_at, last_seen_at, expires_at, user_created_at, ...user } = row;
  return { session: { id_hash, user_id, created_at, last_seen_at, expires_at }, user: { ...user, created_at: user_created_at } };
}

export async function touchSession(db: Db, idHash: string, at: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Ends the user's sessions, except `keep` (the session making the change) when given. */
export async function deleteSessionsOfUser(db: Db, userId: string, keep?: string): Promise<void> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keep) query = query.where("id_hash", "!=", keep);
  await query.execute();
}

/** Sessions past their absolute end; idle ones are refused on use and pruned here once old enough. */
export async function deleteExpiredSessions(db: Db, now: string, idleBefore: string): Promise<void> {
  await db.deleteFrom("sessions").where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", idleBefore)])).execute();
}
