// Certificate revocation lists of a CA certificate: validate (lib/pki/crl.ts) against the CA's own
// bundle → store with its audit event → the data plane applies the CRLs in force
// (dataplane-sync.ts) before the API answers.
import crypto from "node:crypto";
import type { z } from "zod";
import { AppError, notFound } from "../errors";
import { validateCrl } from "../pki/crl";
import { splitPemCertificates } from "../pki/pem";
import { MAX_CRL_BYTES } from "../pki/types";
import type { crlSchema } from "../schemas/responses";
import type { Actor } from "../store/audit-repo";
import { findCertificate, type CertificateRow } from "../store/certificates-repo";
import { deleteCrlRow, findCrlBySha256, findCrlSummary, insertCrl, listCrlSummaries, type CrlRow, type CrlSummaryRow } from "../store/crls-repo";
import type { Db } from "../store/database";
import { isUniqueViolation } from "../store/database";
import { commitChange } from "./commit-change";
import { crlsInForce, isPastNextUpdate } from "./crls-in-force";
import type { Runtime } from "./runtime";

/** What a request may carry for one CRL: the CRL itself plus form or JSON framing. */
export const MAX_CRL_REQUEST_BYTES = MAX_CRL_BYTES + 1024 * 1024;

export type CrlView = z.infer<typeof crlSchema>;

export function toCrlView(row: CrlSummaryRow, inForce: Set<string>, now = Date.now()): CrlView {
  return {
    id: row.id,
    certificateId: row.certificate_id,
    issuer: row.issuer,
    issuerFingerprintSha256: row.issuer_fingerprint_sha256,
    thisUpdate: row.this_update,
    nextUpdate: row.next_update,
    revokedCount: row.revoked_count,
    crlNumber: row.crl_number,
    inForce: inForce.has(row.id),
    expired: isPastNextUpdate(row, now),
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

/** A certificate's CRLs, newest first. */
export async function listCrls(rt: Runtime, certificateId: string): Promise<{ items: CrlView[] }> {
  if (!(await findCertificate(rt.store.db, certificateId))) throw notFound("This certificate");
  return { items: await crlViews(rt.store.db, certificateId) };
}

async function crlViews(db: Db, certificateId: string): Promise<CrlView[]> {
  const rows = await listCrlSummaries(db, [certificateId]);
  const inForce = crlsInForce(rows);
  return rows.map((row) => toCrlView(row, inForce)).reverse();
}

export async function uploadCrl(rt: Runtime, certificateId: string, crl: Uint8Array | string, actor: Actor): Promise<CrlView> {
  const certificate = await findCertificate(rt.store.db, certificateId);
  if (!certificate) throw notFound("This certificate");
  const row = validatedRow(certificate, crl);
  try {
    await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
      if (!(await findCertificate(trx, certificateId))) throw notFound("This certificate");
      await assertNotUploaded(trx, row);
      await insertCrl(trx, row);
      await audit({
        action: "certificate.crl_uploaded",
        target: { type: "certificate", id: certificate.id, name: certificate.name },
        details: { crlId: row.id, issuer: row.issuer, thisUpdate: row.this_update, nextUpdate: row.next_update, revokedCount: row.revoked_count, sha256: row.sha256 },
      });
    });
  } catch (error) {
    // Two uploads of the same CRL racing past the check: the unique constraint decides.
    if (isUniqueViolation(error)) await assertNotUploaded(rt.store.db, row);
    throw error;
  }
  const view = (await crlViews(rt.store.db, certificateId)).find((v) => v.id === row.id);
  if (!view) throw notFound("This CRL");
  return view;
}

/** The row to store, or the problem that refuses the CRL (nothing is stored then). */
function validatedRow(certificate: CertificateRow, crl: Uint8Array | string): CrlRow {
  if (certificate.kind !== "ca") {
    throw new AppError(
      409,
      `"${certificate.name}" is not a CA certificate; a CRL belongs to the CA that signed it, so upload it on that CA certificate's page.`,
      [{ field: "crl", message: "Only CA certificates take CRLs." }],
      "about:blank",
      { reason: "not_a_ca_certificate" },
    );
  }
  const issuers = splitPemCertificates(certificate.pem).map((pem) => new crypto.X509Certificate(pem).raw);
  const checked = validateCrl({ crl, issuers });
  if (!checked.ok) {
    const { problem } = checked;
    throw new AppError(problem.status, problem.message, [{ field: "crl", message: problem.message }], "about:blank", { reason: problem.code });
  }
  const { der, details } = checked.value;
  return {
    id: crypto.randomUUID(),
    certificate_id: certificate.id,
    issuer: details.issuer,
    issuer_fingerprint_sha256: details.issuerFingerprintSha256,
    this_update: details.thisUpdate.toISOString(),
    next_update: details.nextUpdate ? details.nextUpdate.toISOString() : null,
    revoked_count: details.revokedCount,
    crl_number: details.crlNumber,
    der,
    sha256: crypto.createHash("sha256").update(der).digest("hex"),
    created_at: new Date().toISOString(),
  };
}

async function assertNotUploaded(db: Db, row: CrlRow): Promise<void> {
  const same = await findCrlBySha256(db, row.certificate_id, row.sha256);
  if (same) {
    throw new AppError(
      409,
      `This CRL is already uploaded to this certificate (on ${same.created_at}); nothing to do. Upload the CA's newer CRL when it publishes one.`,
      [{ field: "crl", message: "This CRL is already uploaded." }],
      "about:blank",
      { reason: "duplicate_crl" },
    );
  }
}

export async function deleteCrl(rt: Runtime, certificateId: string, crlId: string, actor: Actor): Promise<void> {
  await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
    const certificate = await findCertificate(trx, certificateId);
    if (!certificate) throw notFound("This certificate");
    const row = await findCrlSummary(trx, certificateId, crlId);
    if (!row) throw notFound("This CRL");
    await deleteCrlRow(trx, crlId);
    await audit({
      action: "certificate.crl_deleted",
      target: { type: "certificate", id: certificate.id, name: certificate.name },
      details: { crlId, issuer: row.issuer, thisUpdate: row.this_update, revokedCount: row.revoked_count, sha256: row.sha256 },
    });
  });
}

/** A form's CRL: the file field (a Blob, or text such as curl's -F 'file=<crl.pem' or pasted PEM). */
export async function crlFromForm(form: FormData): Promise<Uint8Array | string> {
  const file = form.get("file");
  if (typeof file === "string" && file.trim().length > 0) return file;
  if (file instanceof Blob && file.size > 0) return new Uint8Array(await file.arrayBuffer());
  throw new AppError(422, 'Attach the CRL file in the field "file" (PEM or DER).', [{ field: "crl", message: "Choose a CRL file or paste it." }]);
}
