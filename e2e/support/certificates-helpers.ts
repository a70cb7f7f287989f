// Helpers for the certificate specs: the upload corpus (test/upload-corpus.ts), uploads in both
// request forms, and a snapshot of what is stored.
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";

export { corpusFile, readCorpus, uploadCorpusDir } from "../../test/upload-corpus";

export type UploadForm = "multipart" | "json";

export interface UploadRequest {
  name: string;
  kind: string;
  /** Raw bytes (a file) or text (PEM, base64 of DER). */
  certificate: Buffer | string;
  fileName?: string;
  privateKey?: Buffer | string;
  passphrase?: string;
}

/** POST /api/v1/certificates the way a script does: a multipart file upload, or JSON text. */
export function postCertificate(request: APIRequestContext, form: UploadForm, upload: UploadRequest): Promise<APIResponse> {
  if (form === "multipart") {
    const multipart: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> = {
      name: upload.name,
      kind: upload.kind,
      file: { name: upload.fileName ?? "certificate.pem", mimeType: "application/octet-stream", buffer: Buffer.from(upload.certificate) },
    };
    if (upload.privateKey !== undefined) multipart.keyFile = { name: "key.pem", mimeType: "application/octet-stream", buffer: Buffer.from(upload.privateKey) };
    if (upload.passphrase !== undefined) multipart.passphrase = upload.passphrase;
    return request.post("/api/v1/certificates", { multipart });
  }
  // JSON carries text: binary (DER) goes as base64, which docs/api.md accepts for `certificate`.
  const certificate = typeof upload.certificate === "string" ? upload.certificate : asJsonText(upload.certificate);
  return request.post("/api/v1/certificates", {
    data: {
      name: upload.name,
      kind: upload.kind,
      certificate,
      ...(upload.privateKey !== undefined ? { privateKey: upload.privateKey.toString() } : {}),
      ...(upload.passphrase !== undefined ? { passphrase: upload.passphrase } : {}),
    },
  });
}

function asJsonText(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) && !/[\x00-\x08\x0e-\x1f]/.test(text) ? text : bytes.toString("base64");
}

/** What a rejected upload must leave untouched: every stored certificate and the newest audit event. */
export async function storedState(request: APIRequestContext): Promise<{ certificateIds: string[]; newestAuditEvent: unknown }> {
  const certificates = await request.get("/api/v1/certificates?limit=500");
  expect(certificates.status()).toBe(200);
  const audit = await request.get("/api/v1/audit-events?limit=1");
  expect(audit.status()).toBe(200);
  return {
    certificateIds: ((await certificates.json()).items as { id: string }[]).map((c) => c.id).sort(),
    newestAuditEvent: (await audit.json()).items[0] ?? null,
  };
}

export async function deleteCertificate(request: APIRequestContext, id: string): Promise<void> {
  const response = await request.delete(`/api/v1/certificates/${id}`);
  expect(response.status(), await response.text()).toBe(204);
}
