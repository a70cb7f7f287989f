// POST/GET/DELETE /api/v1/certificates as a script uses them: every acceptance and rejection rule of
// docs/api.md's "Certificates" section, in both request forms, with what is stored checked after each.
import crypto from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, test, unique } from "./support/fixtures";
import {
  deleteCertificate,
  postCertificate,
  readCorpus,
  storedState,
  type UploadForm,
  type UploadRequest,
} from "./support/certificates-helpers";

const FORMS: UploadForm[] = ["multipart", "json"];
const PASSPHRASE = "upload passphrase"; // what the script encrypted upload-server.enc.key with
const MiB = 1024 * 1024;

/** The secret numbers of a key we sent, in the encodings a leak would use (base64url, base64, hex). */
function secretsOf(keyPem: string, passphrase?: string): string[] {
  const jwk = crypto.createPrivateKey({ key: keyPem, passphrase }).export({ format: "jwk" });
  return [jwk.d, jwk.p, jwk.q]
    .filter((v): v is string => typeof v === "string")
    .flatMap((v) => {
      const bytes = Buffer.from(v, "base64url");
      return [v, bytes.toString("base64").replace(/=+$/, ""), bytes.toString("hex")];
    });
}

/** Nothing a response carries may contain key material: no PEM key label, no secret of a key we sent. */
async function expectNoPrivateKey(response: APIResponse, sent: Pick<UploadRequest, "privateKey" | "passphrase"> = {}) {
  const body = await response.text();
  expect(body).not.toMatch(/PRIVATE KEY/);
  if (sent.privateKey === undefined) return;
  let secrets: string[];
  try {
    secrets = secretsOf(sent.privateKey.toString(), sent.passphrase);
  } catch {
    return; // a key that cannot be read (wrong passphrase): its PEM text is what must not come back
  }
  for (const secret of secrets) expect(body).not.toContain(secret);
}

/** Everything a test creates, removed afterwards even when the test fails halfway. */
const created = { certificates: [] as string[], listeners: [] as string[] };
test.afterEach(async ({ request }) => {
  for (const id of created.listeners.splice(0)) await request.delete(`/api/v1/listeners/${id}`);
  for (const id of created.certificates.splice(0)) await request.delete(`/api/v1/certificates/${id}`);
});

async function upload(request: APIRequestContext, form: UploadForm, body: UploadRequest) {
  const response = await postCertificate(request, form, body);
  expect(response.status(), await response.text()).toBe(201);
  const certificate = await response.json();
  created.certificates.push(certificate.id);
  return certificate;
}

async function expectProblem(response: APIResponse, status: number, field: string | null, detail: RegExp) {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  const problem = JSON.parse(text);
  expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.stringMatching(detail) });
  // One sentence a person can act on: the problem and what to do.
  expect(problem.detail).toMatch(/^\S.{20,}[.)]$/s);
  expect(problem.detail).not.toMatch(/\n\s+at /); // no stack trace
  if (field) expect(problem.errors).toContainEqual({ field, message: expect.any(String) });
}

interface Accepted {
  title: string;
  upload: () => Omit<UploadRequest, "name">;
  forms?: UploadForm[];
  expect: Record<string, unknown>;
}

const pem = (file: string) => readCorpus(file).toString("utf8");

const accepted: Accepted[] = [
  { title: "a CA as PEM", upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca.pem") }), expect: { kind: "ca", isCA: true, certificateCount: 1, subject: "CN=Upload Root CA,O=Upload Corp" } },
  {
    title: "a CA as DER",
    // JSON carries DER as base64 (no armour): the helper sends binary that way.
    upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca.der"), fileName: "upload-ca.der" }),
    expect: { kind: "ca", certificateCount: 1, subject: "CN=Upload Root CA,O=Upload Corp" },
  },
  {
    title: "a CA as base64 of DER, wrapped at 64 columns",
    upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca.der").toString("base64").replace(/.{64}/g, "$&\n"), fileName: "upload-ca.b64" }),
    expect: { kind: "ca", certificateCount: 1 },
  },
  { title: "a CA as PEM with CRLF line ends", upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca-crlf.pem") }), expect: { kind: "ca", certificateCount: 1 } },
  { title: "a CA as PEM with text around the block", upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca-with-text.pem") }), expect: { kind: "ca", certificateCount: 1 } },
  {
    title: "a bundle of 100 CAs",
    upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca-bundle-100.pem") }),
    expect: { kind: "ca", certificateCount: 100, subject: "CN=Upload Bundle CA 1,O=Upload Bundle" },
  },
  {
    title: "a client certificate",
    upload: () => ({ kind: "client", certificate: readCorpus("upload-client.pem") }),
    expect: { kind: "client", isCA: false, extendedKeyUsage: ["1.3.6.1.5.5.7.3.2"], subject: "CN=upload-client,O=Upload Corp" },
  },
  {
    title: "a server certificate with its key",
    upload: () => ({ kind: "server", certificate: readCorpus("upload-server.pem"), privateKey: readCorpus("upload-server.key") }),
    expect: { kind: "server", certificateCount: 1, subjectAltNames: ["DNS:localhost", "IP:127.0.0.1"] },
  },
  {
    title: "a server certificate with its chain and an encrypted key plus passphrase",
    upload: () => ({ kind: "server", certificate: readCorpus("upload-server-chain.pem"), privateKey: readCorpus("upload-server.enc.key"), passphrase: PASSPHRASE }),
    expect: { kind: "server", certificateCount: 2 },
  },
];

for (const form of FORMS) {
  for (const c of accepted) {
    test(`${form}: ${c.title} is stored (201 + Location), read back without a key, and deleted`, async ({ request }) => {
      const sent = c.upload();
      const name = unique("accepted");
      const response = await postCertificate(request, form, { name, ...sent });
      expect(response.status(), await response.text()).toBe(201);
      const body = await response.json();
      created.certificates.push(body.id);
      await expectNoPrivateKey(response, sent);
      expect(body).toMatchObject({ name, ...c.expect, hasPrivateKey: sent.kind === "server", usedBy: [] });
      expect(body.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(response.headers()["location"]).toBe(`/api/v1/certificates/${body.id}`);

      const read = await request.get(response.headers()["location"]);
      expect(read.status()).toBe(200);
      await expectNoPrivateKey(read, sent);
      const stored = await read.json();
      expect(stored).toMatchObject({ id: body.id, name, fingerprintSha256: body.fingerprintSha256 });
      expect(stored.pem.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(body.certificateCount);

      const list = await request.get(`/api/v1/certificates?kind=${body.kind}&limit=500`);
      await expectNoPrivateKey(list, sent);
      expect((await list.json()).items.map((i: { id: string }) => i.id)).toContain(body.id);

      const audit = await request.get(`/api/v1/audit-events?targetId=${body.id}`);
      await expectNoPrivateKey(audit, sent);
      expect((await audit.json()).items).toEqual([expect.objectContaining({ action: "certificate.uploaded" })]);

      await deleteCertificate(request, body.id);
      expect((await request.get(`/api/v1/certificates/${body.id}`)).status()).toBe(404);
    });
  }
}

interface Rejected {
  title: string;
  upload: (form: UploadForm) => Omit<UploadRequest, "name">;
  status: number;
  field: string | null;
  detail: RegExp;
  forms?: UploadForm[];
}

const serverWithKey = (certificate: string, key: string, passphrase?: string) => () => ({
  kind: "server",
  certificate: readCorpus(certificate),
  privateKey: readCorpus(key),
  ...(passphrase !== undefined ? { passphrase } : {}),
});

const rejected: Rejected[] = [
  { title: "an empty file", upload: () => ({ kind: "ca", certificate: readCorpus("upload-empty.pem") }), status: 422, field: "certificate", detail: /empty/ },
  { title: "random bytes", upload: () => ({ kind: "ca", certificate: readCorpus("upload-garbage.bin") }), status: 422, field: "certificate", detail: /certificate/ },
  { title: "text that is no certificate", upload: () => ({ kind: "client", certificate: readCorpus("upload-garbage.txt") }), status: 422, field: "certificate", detail: /neither a PEM certificate, DER, nor base64 of DER/ },
  { title: "truncated DER", upload: () => ({ kind: "ca", certificate: readCorpus("upload-truncated.der") }), status: 422, field: "certificate", detail: /cut off/ },
  { title: "truncated PEM", upload: () => ({ kind: "ca", certificate: readCorpus("upload-truncated.pem") }), status: 422, field: "certificate", detail: /no END line/ },
  { title: "DER with trailing bytes", upload: () => ({ kind: "ca", certificate: readCorpus("upload-trailing.der") }), status: 422, field: "certificate", detail: /followed by extra data/ },
  { title: "PEM whose DER has trailing bytes", upload: () => ({ kind: "ca", certificate: readCorpus("upload-trailing.pem") }), status: 422, field: "certificate", detail: /followed by extra data/ },
  { title: "a certificate request (PEM)", upload: () => ({ kind: "client", certificate: readCorpus("upload-request.pem") }), status: 422, field: "certificate", detail: /certificate signing request/ },
  { title: "a certificate request (DER)", upload: () => ({ kind: "client", certificate: readCorpus("upload-request.der") }), status: 422, field: "certificate", detail: /certificate signing request/ },
  { title: "a private key as the certificate (PEM)", upload: () => ({ kind: "ca", certificate: readCorpus("upload-client.key") }), status: 422, field: "certificate", detail: /private key/ },
  { title: "a private key as the certificate (DER)", upload: () => ({ kind: "client", certificate: readCorpus("upload-client.key.der") }), status: 422, field: "certificate", detail: /private key/ },
  { title: "a client certificate and its key in one file", upload: () => ({ kind: "client", certificate: readCorpus("upload-client-with-key.pem") }), status: 422, field: "certificate", detail: /private key/ },
  {
    title: "a server certificate and its key in one file",
    upload: serverWithKey("upload-server-with-key.pem", "upload-server.key"),
    status: 422,
    field: "certificate",
    detail: /Private key field/,
  },
  {
    title: "a private key sent with a CA",
    upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca.pem"), privateKey: readCorpus("upload-ca.key") }),
    status: 422,
    field: "privateKey",
    detail: /private key/,
  },
  {
    title: "a private key sent with a client certificate",
    upload: () => ({ kind: "client", certificate: readCorpus("upload-client.pem"), privateKey: readCorpus("upload-client.key") }),
    status: 422,
    field: "privateKey",
    detail: /private key/,
  },
  { title: "a CA uploaded as a client certificate", upload: () => ({ kind: "client", certificate: readCorpus("upload-ca.pem") }), status: 422, field: "certificate", detail: /is a CA/ },
  { title: "a client certificate uploaded as a CA", upload: () => ({ kind: "ca", certificate: readCorpus("upload-client.pem") }), status: 422, field: "certificate", detail: /not a CA/ },
  { title: "a CA bundle holding a leaf", upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca-bundle-with-leaf.pem") }), status: 422, field: "certificate", detail: /Certificate 2 of 2 .*not a CA/ },
  { title: "a bundle of 101 CAs", upload: () => ({ kind: "ca", certificate: readCorpus("upload-ca-bundle-101.pem") }), status: 422, field: "certificate", detail: /101 certificates, more than the 100/ },
  { title: "a server certificate without its key", upload: () => ({ kind: "server", certificate: readCorpus("upload-server.pem") }), status: 422, field: "privateKey", detail: /needs its private key/ },
  { title: "a server certificate with another certificate's key", upload: serverWithKey("upload-server.pem", "upload-client.key"), status: 422, field: "privateKey", detail: /does not belong/ },
  { title: "an encrypted key without a passphrase", upload: serverWithKey("upload-server.pem", "upload-server.enc.key"), status: 422, field: "passphrase", detail: /encrypted; enter its passphrase/ },
  { title: "an encrypted key with the wrong passphrase", upload: serverWithKey("upload-server.pem", "upload-server.enc.key", "not the passphrase"), status: 422, field: "passphrase", detail: /passphrase does not decrypt/ },
  { title: "an RSA-1024 client certificate", upload: () => ({ kind: "client", certificate: readCorpus("upload-rsa1024-client.pem") }), status: 422, field: "certificate", detail: /1024-bit RSA key/ },
  { title: "an RSA-1024 CA", upload: () => ({ kind: "ca", certificate: readCorpus("upload-rsa1024-ca.pem") }), status: 422, field: "certificate", detail: /1024-bit RSA key/ },
  { title: "an expired client certificate", upload: () => ({ kind: "client", certificate: readCorpus("client-expired.pem") }), status: 422, field: "certificate", detail: /expired on 2021-01-01/ },
  { title: "an expired CA", upload: () => ({ kind: "ca", certificate: readCorpus("pki-expired-ca.pem") }), status: 422, field: "certificate", detail: /expired on 2021-01-01/ },
  { title: "an expired server certificate", upload: serverWithKey("pki-expired-server.pem", "pki-expired-server.key"), status: 422, field: "certificate", detail: /expired on 2021-01-01/ },
  { title: "a not-yet-valid client certificate", upload: () => ({ kind: "client", certificate: readCorpus("client-future.pem") }), status: 422, field: "certificate", detail: /not valid until 2099-01-01/ },
  { title: "a client certificate without EKU", upload: () => ({ kind: "client", certificate: readCorpus("client-noeku.pem") }), status: 422, field: "certificate", detail: /no 'TLS Web Client Authentication' extended key usage/ },
  { title: "a serverAuth-only client certificate", upload: () => ({ kind: "client", certificate: readCorpus("client-serveronly.pem") }), status: 422, field: "certificate", detail: /no 'TLS Web Client Authentication' extended key usage/ },
  { title: "an unknown kind", upload: () => ({ kind: "intermediate", certificate: readCorpus("upload-ca.pem") }), status: 422, field: "kind", detail: /ca \(CA certificate\), client/ },
  {
    title: "a file over 1 MiB in a body under 2 MiB",
    upload: () => ({ kind: "ca", certificate: readCorpus("upload-1.5mib.pem") }),
    status: 413,
    field: "certificate",
    detail: /over the 1 MiB limit/,
  },
  {
    title: "base64 that decodes to over 1 MiB",
    upload: () => ({ kind: "ca", certificate: Buffer.concat([Buffer.from([0x30]), crypto.randomBytes(MiB + 100)]).toString("base64"), fileName: "big.b64" }),
    status: 413,
    field: "certificate",
    detail: /over the 1 MiB limit/,
  },
  { title: "a 5 MiB file (body over 2 MiB)", upload: () => ({ kind: "ca", certificate: readCorpus("upload-5mib.pem") }), status: 413, field: null, detail: /larger than 2 MiB/ },
];

for (const form of FORMS) {
  for (const c of rejected) {
    test(`${form}: ${c.title} → ${c.status}, nothing stored`, async ({ request }) => {
      const sent = c.upload(form);
      const before = await storedState(request);
      const response = await postCertificate(request, form, { name: unique("rejected"), ...sent });
      await expectProblem(response, c.status, c.field, c.detail);
      await expectNoPrivateKey(response, sent);
      expect(await storedState(request)).toEqual(before);
    });
  }
}

test("json: a certificate field that is no string, or an empty one, is refused beside the field", async ({ request }) => {
  const before = await storedState(request);
  for (const certificate of [42, "", "   \n"]) {
    const response = await request.post("/api/v1/certificates", { data: { name: unique("typed"), kind: "ca", certificate } });
    await expectProblem(response, 422, "certificate", /./);
  }
  expect(await storedState(request)).toEqual(before);
});

test("malformed requests get 400 or 415, names are checked, nothing is stored", async ({ request }) => {
  const before = await storedState(request);
  const post = (body: Buffer | string, contentType: string) =>
    request.post("/api/v1/certificates", { headers: { "content-type": contentType }, data: Buffer.from(body) });

  await expectProblem(await post("{not json", "application/json"), 400, null, /not valid JSON/);
  await expectProblem(await post("[1, 2]", "application/json"), 400, null, /JSON object/);
  await expectProblem(await post("null", "application/json"), 400, null, /JSON object/);
  await expectProblem(await post("name=x&kind=ca", "application/x-www-form-urlencoded"), 415, null, /multipart\/form-data .* or JSON/);
  await expectProblem(await post("--nope\r\nbroken", "multipart/form-data; boundary=other"), 400, null, /multipart body could not be read/);

  const pemText = pem("upload-ca.pem");
  await expectProblem(await request.post("/api/v1/certificates", { data: { kind: "ca", certificate: pemText } }), 422, "name", /name/);
  await expectProblem(await request.post("/api/v1/certificates", { data: { name: "<b>x</b>", kind: "ca", certificate: pemText } }), 422, "name", /letters, digits/);
  await expectProblem(await request.post("/api/v1/certificates", { data: { name: unique("extra"), kind: "ca", certificate: pemText, key: "x" } }), 422, null, /Unknown field/);
  await expectProblem(await request.post("/api/v1/certificates", { multipart: { name: unique("nofile"), kind: "ca" } }), 422, "certificate", /file/);
  await expectProblem(
    await request.post("/api/v1/certificates", { multipart: { kind: "ca", file: { name: "ca.pem", mimeType: "application/x-pem-file", buffer: readCorpus("upload-ca.pem") } } }),
    422,
    "name",
    /name/,
  );
  expect(await storedState(request)).toEqual(before);
});

test("multipart: a certificate sent as a text field (curl -F 'file=<ca.pem') is accepted", async ({ request }) => {
  const response = await request.post("/api/v1/certificates", { multipart: { name: unique("text-field"), kind: "ca", file: pem("upload-ca.pem") } });
  expect(response.status(), await response.text()).toBe(201);
  const body = await response.json();
  created.certificates.push(body.id);
  expect(body).toMatchObject({ kind: "ca", subject: "CN=Upload Root CA,O=Upload Corp" });
});

test("json: a body over 2 MiB is refused with 413", async ({ request }) => {
  const before = await storedState(request);
  const response = await request.post("/api/v1/certificates", { data: { name: unique("huge"), kind: "ca", certificate: "A".repeat(2 * MiB + 10) } });
  await expectProblem(response, 413, null, /larger than 2 MiB/);
  expect(await storedState(request)).toEqual(before);
});

test("409 for a taken name and for the same certificates under another name, per kind", async ({ request }) => {
  const name = unique("dup");
  await upload(request, "json", { name, kind: "ca", certificate: pem("upload-ca.pem") });
  const before = await storedState(request);

  // The same name with other content, in either form.
  await expectProblem(await postCertificate(request, "multipart", { name, kind: "client", certificate: readCorpus("upload-client.pem") }), 409, "name", /already exists; choose another name/);
  await expectProblem(await postCertificate(request, "json", { name: ` ${name} `, kind: "client", certificate: pem("upload-client.pem") }), 409, "name", /already exists/);
  // The same certificate, in another encoding and under another name, is the same content.
  await expectProblem(
    await postCertificate(request, "multipart", { name: unique("dup-der"), kind: "ca", certificate: readCorpus("upload-ca.der"), fileName: "ca.der" }),
    409,
    "certificate",
    new RegExp(`already uploaded as "${name}"`),
  );
  await expectProblem(await postCertificate(request, "json", { name: unique("dup-crlf"), kind: "ca", certificate: pem("upload-ca-crlf.pem") }), 409, "certificate", /already uploaded/);
  expect(await storedState(request)).toEqual(before);
});

test("404 for a certificate that does not exist", async ({ request }) => {
  for (const response of [await request.get("/api/v1/certificates/no-such-id"), await request.delete("/api/v1/certificates/no-such-id")]) {
    await expectProblem(response, 404, null, /does not exist/);
  }
});

test("?kind= filters the list; an unknown kind is refused", async ({ request }) => {
  const ca = await upload(request, "json", { name: unique("filter-ca"), kind: "ca", certificate: pem("upload-ca.pem") });
  const client = await upload(request, "json", { name: unique("filter-client"), kind: "client", certificate: pem("upload-client.pem") });
  const ids = async (query: string) => ((await (await request.get(`/api/v1/certificates?limit=500${query}`)).json()).items as { id: string; kind: string }[]);

  const cas = await ids("&kind=ca");
  expect(cas.map((c) => c.id)).toContain(ca.id);
  expect(cas.every((c) => c.kind === "ca")).toBe(true);
  const clients = await ids("&kind=client");
  expect(clients.map((c) => c.id)).toEqual(expect.arrayContaining([client.id]));
  expect(clients.map((c) => c.id)).not.toContain(ca.id);
  expect((await ids("")).map((c) => c.id)).toEqual(expect.arrayContaining([ca.id, client.id]));
  await expectProblem(await request.get("/api/v1/certificates?kind=intermediate"), 422, "kind", /Type must be one of/);
});

test("a subject with markup is stored as the text it is (RFC 4514 escaped)", async ({ request }) => {
  const body = await upload(request, "multipart", { name: unique("xss"), kind: "client", certificate: readCorpus("upload-xss-client.pem") });
  expect(body.subject).toBe("CN=\\<img src=x onerror=alert(1)\\>,O=Upload Corp");
  expect((await (await request.get(`/api/v1/certificates/${body.id}`)).json()).subject).toBe(body.subject);
});

async function createListenerUsing(request: APIRequestContext, body: Record<string, unknown>) {
  const lb = await request.post("/api/v1/load-balancers", { data: { name: unique("lb-cert-use") } });
  expect(lb.status()).toBe(201);
  const response = await request.post(`/api/v1/load-balancers/${(await lb.json()).id}/listeners`, { data: body });
  expect(response.status(), await response.text()).toBe(201);
  const listener = (await response.json()) as { id: string; name: string };
  created.listeners.push(listener.id);
  return listener;
}

test("DELETE answers 409 naming the listener while one uses the certificate, 204 once none does", async ({ request }) => {
  const server = await upload(request, "multipart", {
    name: unique("in-use-server"),
    kind: "server",
    certificate: readCorpus("upload-server.pem"),
    privateKey: readCorpus("upload-server.key"),
  });
  const ca = await upload(request, "json", { name: unique("in-use-ca"), kind: "ca", certificate: pem("upload-ca.pem") });
  // Client CA chosen but disabled still counts as a use (docs/api.md): enabling again restores it.
  const listener = await createListenerUsing(request, {
    name: "https-18531",
    protocol: "HTTPS",
    port: 18531,
    certificateId: server.id,
    clientAuth: { enabled: true, caCertificateId: ca.id },
  });
  const disabled = await request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { enabled: false } } });
  expect(disabled.status()).toBe(200);

  for (const id of [server.id, ca.id]) {
    const before = await storedState(request);
    await expectProblem(await request.delete(`/api/v1/certificates/${id}`), 409, null, /used by listener https-18531/);
    expect(await storedState(request)).toEqual(before);
    expect((await (await request.get(`/api/v1/certificates/${id}`)).json()).usedBy).toEqual([{ listenerId: listener.id, name: "https-18531" }]);
  }

  expect((await request.delete(`/api/v1/listeners/${listener.id}`)).status()).toBe(204);
  await deleteCertificate(request, server.id);
  await deleteCertificate(request, ca.id);
  const audit = (await (await request.get("/api/v1/audit-events?targetType=certificate&limit=2")).json()).items;
  expect(audit.map((e: { action: string; target: { id: string } }) => [e.action, e.target.id])).toEqual([
    ["certificate.deleted", ca.id],
    ["certificate.deleted", server.id],
  ]);
});

test("an accepted upload records one audit event", async ({ request }) => {
  const ca = await upload(request, "json", { name: unique("audited"), kind: "ca", certificate: pem("upload-ca.pem") });
  const [event] = (await (await request.get("/api/v1/audit-events?limit=1")).json()).items;
  expect(event).toMatchObject({ action: "certificate.uploaded", target: { type: "certificate", id: ca.id, name: ca.name }, details: { kind: "ca" } });
});
