import { AppError } from "../errors";
import { mediaTypeOf } from "../http/media-type";
import { crlUploadJsonSchema } from "../schemas/crls";
import { parseInput } from "../schemas/parse";
import { MAX_CRL_REQUEST_BYTES, crlFromForm, deleteCrl, listCrls, uploadCrl } from "../services/crls";
import { apiRoute, json, readJson, readMultipart } from "./respond";

export const listCrlsRoute = apiRoute<{ id: string }>("read", async (_request, rt, { id }) => json(await listCrls(rt, id)));

export const uploadCrlRoute = apiRoute<{ id: string }>("operate", async (request, rt, { id }, caller) => {
  const type = request.headers.get("content-type") ?? ""; // as sent: the multipart boundary is case-sensitive
  const mediaType = mediaTypeOf(type);
  let crl: Uint8Array | string;
  // A 100,000-entry CRL is ~4 MB: these reads take up to MAX_CRL_REQUEST_BYTES, not the certificates' 2 MiB.
  if (mediaType === "multipart/form-data") crl = await crlFromForm(await readMultipart(request, type, "file", MAX_CRL_REQUEST_BYTES));
  else if (mediaType === "application/json") crl = fromJson(await readJson(request, MAX_CRL_REQUEST_BYTES));
  else throw new AppError(415, 'Send the CRL as multipart/form-data (field "file") or JSON { "crl": "<PEM or base64 DER>" } with Content-Type: application/json.');
  const view = await uploadCrl(rt, id, crl, caller.actor);
  return json(view, { status: 201, headers: { location: `/api/v1/certificates/${id}/crls/${view.id}` } });
});

function fromJson(body: unknown): string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError(400, 'The request body must be a JSON object with the field "crl".');
  }
  return parseInput(crlUploadJsonSchema, body).crl;
}

export const deleteCrlRoute = apiRoute<{ id: string; crlId: string }>("operate", async (_request, rt, { id, crlId }, caller) => {
  await deleteCrl(rt, id, crlId, caller.actor);
  return new Response(null, { status: 204 });
});
