// The JSON API as scripts use it.
import fs from "node:fs";
import { expect, test, unique } from "./support/fixtures";
import { makeCaCertificate } from "./support/openssl";
import {
  auditEventSchema,
  certificateSchema,
  certificateWithPemSchema,
  connectionSchema,
  listenerSchema,
  loadBalancerSchema,
  loadBalancerSummarySchema,
  pageOf,
  problemSchema,
} from "../lib/schemas/responses";

test("uploads by multipart and JSON, with problem details for bad input", async ({ request }) => {
  const name = unique("root");
  const ca = makeCaCertificate(`Multipart Root ${name}`);
  const created = await request.post("/api/v1/certificates", {
    multipart: { name, kind: "ca", file: { name: "root-ca.der", mimeType: "application/pkix-cert", buffer: fs.readFileSync(ca.der) } },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["location"]).toMatch(/^\/api\/v1\/certificates\//);
  const body = await created.json();
  expect(body).toMatchObject({ name, kind: "ca", isCA: true, certificateCount: 1, subject: `CN=Multipart Root ${name},O=Test Corp` });
  expect(body.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);

  const again = await request.post("/api/v1/certificates", { data: { name: unique("same"), kind: "ca", certificate: fs.readFileSync(ca.pem, "utf8") } });
  expect(again.status()).toBe(409);
  expect(again.headers()["content-type"]).toContain("application/problem+json");

  const malformed = await request.post("/api/v1/certificates", { headers: { "content-type": "application/json" }, data: Buffer.from("{not json") });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).detail).toContain("not valid JSON");

  const empty = await request.post("/api/v1/certificates", { data: { name: unique("empty"), kind: "ca", certificate: "" } });
  expect(empty.status()).toBe(422);
  const problem = await empty.json();
  expect(problem.errors[0].field).toBe("certificate");
});

test("a mutating request from another origin is refused; the same request from a script passes", async ({ request }) => {
  const refused = await request.post("/api/v1/load-balancers", {
    data: { name: unique("evil") },
    headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(refused.status()).toBe(403);
  const ok = await request.post("/api/v1/load-balancers", { data: { name: unique("script") } });
  expect(ok.status()).toBe(201);
});

test("listener edits are versioned: a stale If-Match gets 409", async ({ api, request, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("other-ca.pem"));
  const lb = await api.createLoadBalancer(unique("lb"));
  const listener = await api.createListener(lb.id, { name: "https-18446", protocol: "HTTPS", port: 18446, certificateId: server.id });

  const read = await request.get(`/api/v1/listeners/${listener.id}`);
  const etag = read.headers()["etag"];
  expect(etag).toBe('"1"');
  const first = await request.patch(`/api/v1/listeners/${listener.id}`, {
    headers: { "if-match": etag },
    data: { clientAuth: { enabled: true, caCertificateId: ca.id } },
  });
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ version: 2, clientAuth: { enabled: true, caCertificateId: ca.id, trustedCertificateIds: [] } });
  const second = await request.patch(`/api/v1/listeners/${listener.id}`, { headers: { "if-match": etag }, data: { clientAuth: { enabled: false } } });
  expect(second.status()).toBe(409);

  // The CA is in use now, so it cannot be deleted.
  expect((await request.delete(`/api/v1/certificates/${ca.id}`)).status()).toBe(409);
  const audit = await (await request.get("/api/v1/audit-events?limit=5")).json();
  expect(audit.items[0]).toMatchObject({ action: "listener.client_ca_enabled", target: { type: "listener", id: listener.id } });
});

test("every read matches the published contract, and the OpenAPI document is served", async ({ request }) => {
  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect((await openapi.json()).openapi).toBe("3.1.0");

  const lbs = pageOf(loadBalancerSummarySchema).parse(await (await request.get("/api/v1/load-balancers")).json());
  const demo = lbs.items.find((lb) => lb.name === "demo")!;
  const lb = loadBalancerSchema.parse(await (await request.get(`/api/v1/load-balancers/${demo.id}`)).json());
  for (const listener of lb.listeners) {
    listenerSchema.parse(await (await request.get(`/api/v1/listeners/${listener.id}`)).json());
    pageOf(connectionSchema).parse(await (await request.get(`/api/v1/listeners/${listener.id}/connections`)).json());
  }
  const certificates = pageOf(certificateSchema).parse(await (await request.get("/api/v1/certificates")).json());
  certificateWithPemSchema.parse(await (await request.get(`/api/v1/certificates/${certificates.items[0].id}`)).json());
  pageOf(auditEventSchema).parse(await (await request.get("/api/v1/audit-events")).json());
  const missing = await request.get("/api/v1/listeners/no-such-listener");
  expect(missing.status()).toBe(404);
  problemSchema.parse(await missing.json());
});
