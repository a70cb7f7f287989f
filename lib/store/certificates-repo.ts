import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import { decodeCursor, toPage, type Page, type PageRequest } from "./pagination";
import type { CertificatesTable } from "./schema";

export type CertificateRow = Selectable<CertificatesTable>;

export async function insertCertificate(db: Db, row: CertificateRow): Promise<void> {
  await db.insertInto("certificates").values(row).execute();
}

export async function findCertificate(db: Db, id: string): Promise<CertificateRow | undefined> {
  return db.selectFrom("certificates").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findCertificatesByIds(db: Db, ids: string[]): Promise<CertificateRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("certificates").selectAll().where("id", "in", ids).execute();
}

/**
 * Every certificate's id with its content digest: what a reload compares first. A certificate
 * record is never edited (uploaded, then deleted), so the digest of what it holds stands for a
 * version; it also tells a record replaced in place, should that ever be allowed.
 */
export async function listCertificateDigests(db: Db): Promise<Pick<CertificateRow, "id" | "content_digest">[]> {
  return db.selectFrom("certificates").select(["id", "content_digest"]).execute();
}

export async function findCertificateByName(db: Db, name: string): Promise<CertificateRow | undefined> {
  return db.selectFrom("certificates").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function findCertificateByContent(
  db: Db,
  kind: CertificateRow["kind"],
  contentDigest: string,
): Promise<CertificateRow | undefined> {
  return db
    .selectFrom("certificates")
    .selectAll()
    .where("kind", "=", kind)
    .where("content_digest", "=", contentDigest)
    .executeTakeFirst();
}

export async function listCertificates(
  db: Db,
  filter: { kind?: CertificateRow["kind"] },
  page: PageRequest,
): Promise<Page<CertificateRow>> {
  let query = db.selectFrom("certificates").selectAll();
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (page.cursor) {
    const at = decodeCursor(page.cursor);
    query = query.where((eb) =>
      eb.or([eb("created_at", "<", at.createdAt), eb.and([eb("created_at", "=", at.createdAt), eb("id", "<", at.id)])]),
    );
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit + 1).execute();
  return toPage(rows, page.limit, (row) => row);
}

export async function deleteCertificateRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("certificates").where("id", "=", id).execute();
}

export interface CertificateUse {
  certificateId: string;
  listenerId: string;
  name: string;
}

/** Every listener that references one of these certificates, enabled or not: all of them count as in use. */
export async function findCertificateUses(db: Db, certificateIds: string[]): Promise<CertificateUse[]> {
  if (certificateIds.length === 0) return [];
  const direct = await db
    .selectFrom("listeners")
    .select(["id", "name", "certificate_id", "client_ca_certificate_id"])
    .where((eb) => eb.or([eb("certificate_id", "in", certificateIds), eb("client_ca_certificate_id", "in", certificateIds)]))
    .execute();
  const pinned = await db
    .selectFrom("listener_trusted_certificates as t")
    .innerJoin("listeners as l", "l.id", "t.listener_id")
    .select(["t.certificate_id", "l.id", "l.name"])
    .where("t.certificate_id", "in", certificateIds)
    .execute();

  const uses: CertificateUse[] = [];
  const wanted = new Set(certificateIds);
  for (const row of direct) {
    for (const certificateId of new Set([row.certificate_id, row.client_ca_certificate_id])) {
      if (certificateId && wanted.has(certificateId)) uses.push({ certificateId, listenerId: row.id, name: row.name });
    }
  }
  for (const row of pinned) uses.push({ certificateId: row.certificate_id, listenerId: row.id, name: row.name });
  return uses;
}
