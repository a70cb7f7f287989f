import { AppError } from "../errors";
import { mediaTypeOf } from "../http/media-type";
import { certificateListQuerySchema, certificateUploadJsonSchema } from "../schemas/certificates";
import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { deleteCertificate, getCertificate, listCertificates, uploadCertificate, uploadFromForm, type CertificateUpload } from "../services/certificates";
import { apiRoute, json, pageQuery, readJson, readMultipart } from "./respond";

export const listCertificatesRoute = apiRoute("read", async (request, rt) => {
  const query = pageQuery(request);
  const page = parseInput(pageQuerySchema, query);
  const { kind } = parseInput(certificateListQuerySchema, { kind: query.kind });
  return json(await listCertificates(rt, { kind }, page));
});

export const uploadCertificateRoute = apiRoute("operate", async (request, rt, _params, caller) => {
  const type = request.headers.get("content-type") ?? ""; // as sent: the multipart boundary is case-sensitive
  const mediaType = mediaTypeOf(type);
  let upload: CertificateUpload;
  if (mediaType === "multipart/form-data") upload = await fromMultipart(request, type);
  else if (mediaType === "application/json") upload = fromJson(await readJson(request));
  else throw new AppError(415, "Send the upload as multipart/form-data (fields name, kind, file) or JSON with Content-Type: application/json.");
  const view = await uploadCertificate(rt, upload, caller.actor);
  return json(view, { status: 201, headers: { location: `/api/v1/certificates/${view.id}` } });
});

async function fromMultipart(request: Request, contentType: string): Promise<CertificateUpload> {
  return uploadFromForm(await readMultipart(request, contentType, "name, kind and file"));
}

function fromJson(body: unknown): CertificateUpload {
  // Valid JSON that is not an object is a malformed request, not a field to correct.
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError(400, "The request body must be a JSON object with the fields name, kind and certificate.");
  }
  const parsed = parseInput(certificateUploadJsonSchema, body);
  return { ...parsed, privateKey: parsed.privateKey ?? null, passphrase: parsed.passphrase ?? null };
}

export const getCertificateRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => json(await getCertificate(rt, id)));

export const deleteCertificateRoute = apiRoute<{ id: string }>("operate", async (_request, rt, { id }, caller) => {
  await deleteCertificate(rt, id, caller.actor);
  return new Response(null, { status: 204 });
});
