// Client certificates bound to a user for the API client-certificate port (docs/api.md "Client
// certificates of a user"). The certificate only carries a public key; the binding is the trust, so a
// self-signed certificate is as good as a CA-issued one. The same upload rules as a `client`
// certificate object apply (lib/pki/policy.ts): one certificate, not a CA, EKU clientAuth, in date.
import crypto from "node:crypto";
import type { Caller } from "../auth/caller";
import { AppError, conflict, notFound } from "../errors";
import { sha256Hex, validateUpload } from "../pki";
import { isUniqueViolation } from "../store/database";
import {
  countUserCertificates,
  deleteUserCertificateRow,
  findUserCertificate,
  findUserCertificateByFingerprint,
  insertUserCertificate,
  listUserCertificates as listRows,
  type UserCertificateRow,
} from "../store/user-certificates-repo";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";
import { readableUser } from "./users";

export const MAX_CERTIFICATES_PER_USER = 5;

export interface UserCertificateView {
  id: string;
  subject: string;
  issuer: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  createdAt: string;
}

function toView(row: UserCertificateRow): UserCertificateView {
  return {
    id: row.id,
    subject: row.subject,
    issuer: row.issuer,
    fingerprintSha256: row.fingerprint_sha256,
    notBefore: row.not_before,
    notAfter: row.not_after,
    createdAt: row.created_at,
  };
}

export async function listUserCertificates(rt: Runtime, caller: Caller, userId: string): Promise<{ items: UserCertificateView[]; nextCursor: null }> {
  await readableUser(rt.store.db, caller, userId);
  return { items: (await listRows(rt.store.db, userId)).map(toView), nextCursor: null };
}

/** `certificate`: PEM text or DER bytes, as uploaded. */
export async function bindUserCertificate(rt: Runtime, caller: Caller, userId: string, certificate: string | Uint8Array): Promise<UserCertificateView> {
  const user = await readableUser(rt.store.db, caller, userId);
  const checked = validateUpload({ kind: "client", certificate, privateKey: null, passphrase: null });
  if (!checked.ok) {
    const { problem } = checked;
    throw new AppError(problem.status, problem.message, [{ field: "certificate", message: problem.message }]);
  }
  const [cert] = checked.value.certificates;
  const row: UserCertificateRow = {
    id: crypto.randomUUID(),
    user_id: userId,
    // The exact DER a client presents in its handshake is what the port compares.
    fingerprint_sha256: sha256Hex(cert.der),
    pem: cert.pem,
    subject: cert.details.subject,
    issuer: cert.details.issuer,
    not_before: cert.details.notBefore.toISOString(),
    not_after: cert.details.notAfter.toISOString(),
    created_at: new Date().toISOString(),
  };
  try {
    await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
      const bound = await findUserCertificateByFingerprint(trx, row.fingerprint_sha256);
      if (bound) throw alreadyBound(bound.user_id === userId);
      if ((await countUserCertificates(trx, userId)) >= MAX_CERTIFICATES_PER_USER) {
        throw conflict(
          `${user.username} already has ${MAX_CERTIFICATES_PER_USER} client certificates, the most a user can bind; remove one before adding another.`,
          "certificate",
        );
      }
      await insertUserCertificate(trx, row);
      await audit({
        action: "user.client_certificate_bound",
        target: { type: "user", id: userId, name: user.username },
        details: { subject: row.subject, fingerprintSha256: row.fingerprint_sha256, notAfter: row.not_after },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyBound(false);
    throw error;
  }
  return toView(row);
}

export async function unbindUserCertificate(rt: Runtime, caller: Caller, userId: string, certificateId: string): Promise<void> {
  const user = await readableUser(rt.store.db, caller, userId);
  await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
    const row = await findUserCertificate(trx, userId, certificateId);
    if (!row) throw notFound("This client certificate binding");
    await deleteUserCertificateRow(trx, row.id);
    await audit({
      action: "user.client_certificate_removed",
      target: { type: "user", id: userId, name: user.username },
      details: { subject: row.subject, fingerprintSha256: row.fingerprint_sha256 },
    });
  });
}

function alreadyBound(toThisUser: boolean): AppError {
  return conflict(
    toThisUser
      ? "This certificate is already bound to this user; it is in the list below."
      : "This certificate is already bound to another user; a certificate can authenticate only one user, so make a new key pair and certificate for this one.",
    "certificate",
  );
}
