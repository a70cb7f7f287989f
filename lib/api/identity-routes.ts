// Sign-in, the caller, users, their client certificates, and API tokens (docs/api.md "Identity").
import { toMe } from "../auth/caller";
import { clearedSessionCookieHeader, sessionCookieHeader } from "../auth/session-cookie";
import { AppError } from "../errors";
import { CLIENT_CERTIFICATE_HEADER, PEER_ADDRESS_HEADER } from "../http/console-request-guard";
import { mediaTypeOf } from "../http/media-type";
import { createApiToken, listApiTokens, revokeApiToken } from "../services/api-tokens";
import { signIn, signOut } from "../services/sessions";
import { bindUserCertificate, listUserCertificates, unbindUserCertificate } from "../services/user-certificates";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "../services/users";
import { anonymousApiRoute, apiRoute, json, readJson, readMultipart } from "./respond";

/** Secure when the browser reached the console over HTTPS (directly, or through a TLS-terminating proxy). */
function servedOverHttps(request: Request): boolean {
  return (
    new URL(request.url).protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.toLowerCase() === "https" ||
    (process.env.CERTGATE_PUBLIC_URL ?? "").startsWith("https:")
  );
}

export const signInRoute = anonymousApiRoute(async (request, rt) => {
  if (request.headers.has(CLIENT_CERTIFICATE_HEADER)) {
    throw new AppError(400, "This port authenticates by client certificate only; sign in with a password on the console's own port.");
  }
  const signedIn = await signIn(rt, await readJson(request), request.headers.get(PEER_ADDRESS_HEADER) || "unknown");
  const { user } = signedIn;
  return json(
    { id: user.id, username: user.username, role: user.role, authenticatedBy: "session" },
    { headers: { "set-cookie": sessionCookieHeader(signedIn.cookieValue, { maxAgeSeconds: signedIn.maxAgeSeconds, secure: servedOverHttps(request) }) } },
  );
});

export const signOutRoute = apiRoute("signed-in", async (request, rt, _params, caller) => {
  await signOut(rt, caller);
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookieHeader(servedOverHttps(request)) } });
});

export const meRoute = apiRoute("signed-in", async (_request, _rt, _params, caller) => json(toMe(caller)));

export const listUsersRoute = apiRoute("administer", async (_request, rt, _params, caller) => json(await listUsers(rt, caller)));

export const createUserRoute = apiRoute("administer", async (request, rt, _params, caller) => {
  const view = await createUser(rt, caller, await readJson(request));
  return json(view, { status: 201, headers: { location: `/api/v1/users/${view.id}` } });
});

// Users reach their own record; the services answer 404 for anyone else's unless the caller is an admin.
export const getUserRoute = apiRoute<{ id: string }>("signed-in", async (_request, rt, { id }, caller) => json(await getUser(rt, caller, id)));

export const patchUserRoute = apiRoute<{ id: string }>("signed-in", async (request, rt, { id }, caller) =>
  json(await updateUser(rt, caller, id, await readJson(request))),
);

export const deleteUserRoute = apiRoute<{ id: string }>("administer", async (_request, rt, { id }, caller) => {
  await deleteUser(rt, caller, id);
  return new Response(null, { status: 204 });
});

export const listUserCertificatesRoute = apiRoute<{ id: string }>("signed-in", async (_request, rt, { id }, caller) =>
  json(await listUserCertificates(rt, caller, id)),
);

export const bindUserCertificateRoute = apiRoute<{ id: string }>("signed-in", async (request, rt, { id }, caller) => {
  const view = await bindUserCertificate(rt, caller, id, await certificateFrom(request));
  return json(view, { status: 201, headers: { location: `/api/v1/users/${id}/client-certificates/${view.id}` } });
});

export const unbindUserCertificateRoute = apiRoute<{ id: string; certId: string }>("signed-in", async (_request, rt, { id, certId }, caller) => {
  await unbindUserCertificate(rt, caller, id, certId);
  return new Response(null, { status: 204 });
});

export const listTokensRoute = apiRoute("signed-in", async (_request, rt, _params, caller) => json(await listApiTokens(rt, caller)));

export const createTokenRoute = apiRoute("signed-in", async (request, rt, _params, caller) => {
  const view = await createApiToken(rt, caller, await readJson(request));
  return json(view, { status: 201, headers: { location: `/api/v1/tokens/${view.id}` } });
});

export const revokeTokenRoute = apiRoute<{ id: string }>("signed-in", async (_request, rt, { id }, caller) => {
  await revokeApiToken(rt, caller, id);
  return new Response(null, { status: 204 });
});

/** multipart `file` (PEM or DER), or JSON `{ "certificate": "<PEM>" }`. */
async function certificateFrom(request: Request): Promise<string | Uint8Array> {
  const type = request.headers.get("content-type") ?? "";
  const mediaType = mediaTypeOf(type);
  if (mediaType === "multipart/form-data") {
    const file = (await readMultipart(request, type, "file")).get("file");
    if (typeof file === "string" && file.length > 0) return file;
    if (file instanceof Blob) return new Uint8Array(await file.arrayBuffer());
    throw new AppError(422, 'Attach the certificate file in the field "file".', [{ field: "certificate", message: "Choose a certificate file." }]);
  }
  if (mediaType === "application/json") {
    const body = await readJson(request);
    const certificate = (body as { certificate?: unknown } | null)?.certificate;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new AppError(400, 'The request body must be a JSON object with the field "certificate".');
    }
    if (typeof certificate !== "string" || certificate.trim() === "") {
      throw new AppError(422, 'Send the certificate as PEM text in the field "certificate".', [{ field: "certificate", message: "Paste the certificate's PEM." }]);
    }
    const unknown = Object.keys(body).filter((key) => key !== "certificate");
    if (unknown.length > 0) throw new AppError(422, `Unknown field(s): ${unknown.join(", ")}.`, [{ field: "body", message: `Unknown field(s): ${unknown.join(", ")}.` }]);
    return certificate;
  }
  throw new AppError(415, "Send the certificate as multipart/form-data (field file) or JSON with Content-Type: application/json (field certificate).");
}
