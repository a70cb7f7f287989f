import { AppError } from "../errors";
import { mediaTypeOf } from "../http/media-type";
import { certificateListQuerySchema, certificateUploadJsonSchema } from "../schemas/certificates";
import { pageQuerySchema } from "../schemas/common";
import { parseInput } from "../schemas/parse";
import { deleteCertificate, getCertificate, listCertificates, uploadCertificate, type CertificateUpload } from "../services/certificates";
import { API_ACTOR, apiRoute, json, pageQuery, readBody, readJson } from "./respond";

export const listCertificatesRoute = apiRoute(async (request, rt) => {
  const query = pageQuery(request);
  const page = parseInput(pageQuerySchema, query);
  const { kind } = parseInput(certificateListQuerySchema, { kind: query.kind });
  return json(await listCertificates(rt, { kind }, page));
});

export const uploadCertificateRoute = apiRoute(async (request, rt) => {
  const type = request.headers.get("content-type") ?? ""; // as sent: the multipart boundary is case-sensitive
  const mediaType = mediaTypeOf(type);
  let upload: CertificateUpload;
  if (mediaType === "multipart/form-data") upload = await fromMultipart(request, type);
  else if (mediaType === "application/json") upload = fromJson(await readJson(request));
  else throw new AppError(415, "Send the upload as multipart/form-data (fields name, kind, file) or JSON with Content-Type: application/json.");
  const view = await uploadCertificate(rt, upload, API_ACTOR);
  return json(view, { status: 201, headers: { location: `/api/v1/certificates/${view.id}` } });
});

async function fromMultipart(request: Request, contentType: string): Promise<CertificateUpload> {
  const body = await readBody(request);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError(400, "The multipart body could not be read; send fields name, kind and file.");
  }
  const file = form.get("file");
  // curl's -F 'file=<ca.pem' sends the file's text as a plain field; that is the certificate too.
  if (typeof file === "string" && file.length > 0) return { ...(await fromMultipartFields(form)), certificate: file };
  if (!(file instanceof Blob)) {
    throw new AppError(422, "Attach the certificate file in the field \"file\".", [{ field: "certificate", message: "Choose a certificate file." }]);
  }
  return { ...(await fromMultipartFields(form)), certificate: new Uint8Array(await file.arrayBuffer()) };
}

async function fromMultipartFields(form: FormData): Promise<Omit<CertificateUpload, "certificate">> {
  const keyFile = form.get("keyFile");
  return {
    name: form.get("name") ?? undefined,
    kind: form.get("kind") ?? undefined,
    privateKey: keyFile instanceof Blob ? new Uint8Array(await keyFile.arrayBuffer()) : typeof keyFile === "string" ? keyFile : null,
    passphrase: stringField(form.get("passphrase")),
  };
}

function stringField(value: FormDataEntryValue | null): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function fromJson(body: unknown): CertificateUpload {
  // Valid JSON that is not an object is a malformed request, not a field to correct.
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError(400, "The request body must be a JSON object with the fields name, kind and certificate.");
  }
  const parsed = parseInput(certificateUploadJsonSchema, body);
  return { ...parsed, privateKey: parsed.privateKey ?? null, passphrase: parsed.passphrase ?? null };
}

export const getCertificateRoute = apiRoute<{ id: string }>(async (_request, rt, { id }) => json(await getCertificate(rt, id)));

export const deleteCertificateRoute = apiRoute<{ id: string }>(async (_request, rt, { id }) => {
  await deleteCertificate(rt, id, API_ACTOR);
  return new Response(null, { status: 204 });
});
