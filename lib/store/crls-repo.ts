import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { CrlsTable } from "./schema";

export type CrlRow = Selectable<CrlsTable>;
/** A CRL without its DER: what listings and decisions read (a 100,000-entry CRL is ~4 MB). */
export type CrlSummaryRow = Omit<CrlRow, "der">;

const SUMMARY_COLUMNS = [
  "id",
  "certificate_id",
  "issuer",
  "issuer_fingerprint_sha256",
  "this_update",
  "next_update",
  "revoked_count",
  "crl_number",
  "sha256",
  "created_at",
] as const;

export async function insertCrl(db: Db, row: CrlRow): Promise<void> {
  await db.insertInto("crls").values(row).execute();
}

/** The CRLs of these certificates (summaries), oldest first. */
export async function listCrlSummaries(db: Db, certificateIds: string[]): Promise<CrlSummaryRow[]> {
  if (certificateIds.length === 0) return [];
  return db
    .selectFrom("crls")
    .select(SUMMARY_COLUMNS)
    .where("certificate_id", "in", certificateIds)
    .orderBy("this_update")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function findCrlSummary(db: Db, certificateId: string, crlId: string): Promise<CrlSummaryRow | undefined> {
  return db.selectFrom("crls").select(SUMMARY_COLUMNS).where("certificate_id", "=", certificateId).where("id", "=", crlId).executeTakeFirst();
}

export async function findCrlBySha256(db: Db, certificateId: string, sha256: string): Promise<CrlSummaryRow | undefined> {
  return db.selectFrom("crls").select(SUMMARY_COLUMNS).where("certificate_id", "=", certificateId).where("sha256", "=", sha256).executeTakeFirst();
}

/** The DER of these CRLs, by id. */
export async function findCrlDers(db: Db, ids: string[]): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("crls").select(["id", "der"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, Buffer.from(r.der)]));
}

export async function deleteCrlRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("crls").where("id", "=", id).execute();
}
