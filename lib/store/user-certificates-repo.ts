import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { UserClientCertificatesTable } from "./schema";
import type { UserRow } from "./users-repo";

export type UserCertificateRow = Selectable<UserClientCertificatesTable>;

export async function insertUserCertificate(db: Db, row: UserCertificateRow): Promise<void> {
  await db.insertInto("user_client_certificates").values(row).execute();
}

export async function listUserCertificates(db: Db, userId: string): Promise<UserCertificateRow[]> {
  return db.selectFrom("user_client_certificates").selectAll().where("user_id", "=", userId).orderBy("created_at").orderBy("id").execute();
}

export async function countUserCertificates(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("user_client_certificates")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserCertificateByFingerprint(db: Db, fingerprint: string): Promise<UserCertificateRow | undefined> {
  return db.selectFrom("user_client_certificates").selectAll().where("fingerprint_sha256", "=", fingerprint).executeTakeFirst();
}

/** The binding and its user in one read: the per-request check on the API client-certificate port. */
export async function findBindingWithUser(db: Db, fingerprint: string): Promise<{ binding: UserCertificateRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom("user_client_certificates as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select(["c.id as binding_id", "c.user_id", "c.fingerprint_sha256", "c.pem", "c.subject", "c.issuer", "c.not_before", "c.not_after", "c.created_at as binding_created_at"])
    .select(["u.id", "u.username", "u.username_key", "u.password_hash", "u.role", "u.disabled", "u.client_certificate_auth", "u.created_at", "u.updated_at", "u.last_sign_in_at"])
    .where("c.fingerprint_sha256", "=", fingerprint)
    .executeTakeFirst();
  if (!row) return undefined;
  const { binding_id, user_id, fingerprint_sha256, pem, subject, issuer, not_before, not_after, binding_created_at, ...user } = row;
  return { binding: { id: binding_id, user_id, fingerprint_sha256, pem, subject, issuer, not_before, not_after, created_at: binding_created_at }, user };
}

export async function findUserCertificate(db: Db, userId: string, id: string): Promise<UserCertificateRow | undefined> {
  return db.selectFrom("user_client_certificates").selectAll().where("user_id", "=", userId).where("id", "=", id).executeTakeFirst();
}

export async function deleteUserCertificateRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("user_client_certificates").where("id", "=", id).execute();
}
