// Certificate use cases: validate (lib/pki) → store (one transaction with its audit event).
import type { Actor } from "../store/audit-repo";
import crypto from "node:crypto";
import { validateUpload, type CertificateKind } from "../pki";
import { AppError, conflict, notFound } from "../errors";
import { certificateTargetSchema } from "../schemas/certificates";
import { parseInput } from "../schemas/parse";
import { isUniqueViolation } from "../store/database";
import {
  deleteCertificateRow,
  findCertificate,
  findCertificateByContent,
  findCertificateByName,
  findCertificateUses,
  insertCertificate,
  listCertificates as listCertificateRows,
  type CertificateRow,
} from "../store/certificates-repo";
import { listCrlSummaries } from "../store/crls-repo";
import type { Page, PageRequest } from "../store/pagination";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";
import { toCertificateView, type CertificateView, type StoredCertificateDetails } from "./views";

export interface CertificateUpload {
  name: unknown;
  kind: unknown;
  /** Raw file bytes, or pasted PEM / base64-of-DER text. */
  certificate: Uint8Array | string;
  privateKey?: Uint8Array | string | null;
  passphrase?: string | null;
}

/**
 * The upload a form describes, as docs/api.md lists its fields (name, kind, file, keyFile,
 * passphrase): the API's multipart body and the console's dialog both arrive as FormData. A file
 * field may also be text: curl's -F 'file=<ca.pem' sends the file's contents as a plain field, and
 * the dialog sends pasted PEM that way.
 */
export async function uploadFromForm(form: FormData): Promise<CertificateUpload> {
  const file = form.get("file");
  const keyFile = form.get("keyFile");
  const passphrase = form.get("passphrase");
  let certificate: CertificateUpload["certificate"];
  if (typeof file === "string" && file.length > 0) certificate = file;
  else if (file instanceof Blob) certificate = new Uint8Array(await file.arrayBuffer());
  else throw new AppError(422, 'Attach the certificate file in the field "file".', [{ field: "certificate", message: "Choose a certificate file." }]);
  return {
    name: form.get("name") ?? undefined,
    kind: form.get("kind") ?? undefined,
    certificate,
    privateKey: keyFile instanceof Blob ? new Uint8Array(await keyFile.arrayBuffer()) : keyFile,
    passphrase: typeof passphrase === "string" && passphrase.length > 0 ? passphrase : null,
  };
}

export async function uploadCertificate(rt: Runtime, upload: CertificateUpload, actor: Actor): Promise<CertificateView> {
  // Parsed as one object so each error names its field ("name", "kind"), as the form expects.
  const { name, kind } = parseInput(certificateTargetSchema, { name: upload.name, kind: upload.kind });
  if (kind !== "server" && hasContent(upload.privateKey)) {
    throw new AppError(422, "Only server certificates take a private key; remove the private key.", [
      { field: "privateKey", message: "Only server certificates take a private key." },
    ]);
  }

  const checked = validateUpload({
    kind,
    certificate: upload.certificate,
    privateKey: kind === "server" ? (upload.privateKey ?? null) : null,
    passphrase: upload.passphrase ?? null,
  });
  if (!checked.ok) {
    const { problem } = checked;
    throw new AppError(problem.status, problem.message, [{ field: problem.field, message: problem.message }]);
  }
  const { certificates, privateKeyPem, warnings } = checked.value;
  const first = certificates[0];
  const contentDigest = crypto
    .createHash("sha256")
    .update(certificates.map((c) => c.details.fingerprintSha256).sort().join(","))
    .digest("hex");

  const id = crypto.randomUUID();
  const details: StoredCertificateDetails = {
    ...first.details,
    notBefore: first.details.notBefore.toISOString(),
    notAfter: first.details.notAfter.toISOString(),
    warnings,
  };
  const row: CertificateRow = {
    id,
    name,
    kind,
    fingerprint_sha256: first.details.fingerprintSha256,
    content_digest: contentDigest,
    certificate_count: certificates.length,
    pem: certificates.map((c) => c.pem).join(""),
    details_json: JSON.stringify(details),
    private_key_sealed: privateKeyPem ? rt.sealer.seal(privateKeyPem, id) : null,
    created_at: new Date().toISOString(),
  };

  try {
    await commitChange(rt, { actor }, async ({ trx, audit }) => {
      await assertUnique(trx, row);
      await insertCertificate(trx, row);
      await audit({
        action: "certificate.uploaded",
        target: { type: "certificate", id, name },
        details: { kind, fingerprintSha256: row.fingerprint_sha256, certificateCount: row.certificate_count },
      });
    });
  } catch (error) {
    // Two uploads racing past assertUnique: the constraint decides, the loser gets a 409.
    if (isUniqueViolation(error)) await assertUnique(rt.store.db, row);
    throw error;
  }
  return toCertificateView(row, []);
}

async function assertUnique(db: Runtime["store"]["db"], row: CertificateRow): Promise<void> {
  if (await findCertificateByName(db, row.name)) {
    throw conflict(`A certificate named "${row.name}" already exists; choose another name.`, "name");
  }
  const same = await findCertificateByContent(db, row.kind, row.content_digest);
  if (same) {
    throw conflict(
      `This certificate is already uploaded as "${same.name}"; use that one instead of uploading it again.`,
      "certificate",
    );
  }
}

function hasContent(value: Uint8Array | string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return typeof value === "string" ? value.trim().length > 0 : value.byteLength > 0;
}

export async function listCertificates(
  rt: Runtime,
  filter: { kind?: CertificateKind },
  page: PageRequest,
): Promise<Page<CertificateView>> {
  const result = await listCertificateRows(rt.store.db, filter, page);
  const uses = await findCertificateUses(
    rt.store.db,
    result.items.map((r) => r.id),
  );
  const crls = await listCrlSummaries(rt.store.db, result.items.filter((r) => r.kind === "ca").map((r) => r.id));
  return { items: result.items.map((row) => toCertificateView(row, uses, crls)), nextCursor: result.nextCursor };
}

export async function getCertificate(rt: Runtime, id: string): Promise<CertificateView & { pem: string }> {
  const row = await findCertificate(rt.store.db, id);
  if (!row) throw notFound("This certificate");
  const uses = await findCertificateUses(rt.store.db, [id]);
  const crls = row.kind === "ca" ? await listCrlSummaries(rt.store.db, [id]) : [];
  return { ...toCertificateView(row, uses, crls), pem: row.pem };
}

export async function deleteCertificate(rt: Runtime, id: string, actor: Actor): Promise<void> {
  await commitChange(rt, { actor }, async ({ trx, audit }) => {
    const row = await findCertificate(trx, id);
    if (!row) throw notFound("This certificate");
    const uses = await findCertificateUses(trx, [id]);
    if (uses.length > 0) {
      const names = [...new Set(uses.map((u) => u.name))].join(", ");
      throw conflict(`This certificate is used by listener ${names}; remove it from there first, then delete it.`);
    }
    await deleteCertificateRow(trx, id);
    await audit({
      action: "certificate.deleted",
      target: { type: "certificate", id, name: row.name },
      details: { kind: row.kind, fingerprintSha256: row.fingerprint_sha256 },
    });
  });
}
