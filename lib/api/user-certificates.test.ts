// Client certificates bound to a user, through the real route handlers: JSON or multipart (PEM and
// DER files), at most 5 per user, only clientAuth leaf certificates in date, one user per certificate,
// and users other than admins manage only their own. Certificates are made with openssl.
import { X509Certificate } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { identityCert, testCert } from "../../test/certs";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

const pem = (file: string) => identityCert(file).toString();

/** A multipart body with the certificate file as a browser's file input sends it. */
function fileForm(bytes: Buffer, filename: string): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], filename, { type: "application/octet-stream" }));
  return form;
}

for (const target of storeTargets()) {
  describe(`client certificates of a user on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let userId: string;
    let user: Credential;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      userId = await createUser(client, admin, { username: "api-user", password: "api-user-password", role: "operator" });
      user = { cookie: await signIn(client, "api-user", "api-user-password") };
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    const certificatesOf = (id: string) => `/api/v1/users/${id}/client-certificates`;
    const bindJson = (id: string, file: string, as: Credential = admin) => client.call("POST", certificatesOf(id), { as, json: { certificate: pem(file) } });

    it("binds a certificate from JSON, a PEM file and a DER file, and lists subject, issuer, fingerprint and expiry", async () => {
      const fromJson = await bindJson(userId, "identity-client-1.pem");
      expect(fromJson.status, fromJson.text).toBe(201);
      expect(fromJson.headers.get("location")).toBe(`${certificatesOf(userId)}/${fromJson.body.id}`);
      const x509 = new X509Certificate(identityCert("identity-client-1.pem"));
      expect(fromJson.body).toEqual({
        id: expect.any(String),
        subject: "CN=api-user-1",
        issuer: "CN=api-user-1",
        fingerprintSha256: x509.fingerprint256.replaceAll(":", "").toLowerCase(),
        notBefore: new Date(x509.validFrom).toISOString(),
        notAfter: new Date(x509.validTo).toISOString(),
        createdAt: expect.any(String),
      });

      const fromPemFile = await client.call("POST", certificatesOf(userId), { as: admin, body: fileForm(identityCert("identity-client-3.pem"), "me.crt") });
      expect(fromPemFile.status, fromPemFile.text).toBe(201);
      expect(fromPemFile.body.subject).toBe("CN=api-user-3");
      const fromDerFile = await client.call("POST", certificatesOf(userId), { as: admin, body: fileForm(identityCert("identity-client-2.der"), "me.der") });
      expect(fromDerFile.status, fromDerFile.text).toBe(201);
      expect(fromDerFile.body.subject).toBe("CN=api-user-2");

      const list = await client.call("GET", certificatesOf(userId), { as: admin });
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { subject: string }) => c.subject)).toEqual(["CN=api-user-1", "CN=api-user-3", "CN=api-user-2"]);
      for (const item of list.body.items) expect(Object.keys(item).sort()).toEqual(["createdAt", "fingerprintSha256", "id", "issuer", "notAfter", "notBefore", "subject"]);

      const events = await client.call("GET", `/api/v1/audit-events?targetType=user&targetId=${userId}`, { as: admin });
      expect(events.body.items.filter((e: { action: string }) => e.action === "user.client_certificate_bound")).toHaveLength(3);
    });

    it("refuses a sixth certificate with a 409 that says the limit, and takes it once one is removed", async () => {
      for (const i of [1, 2, 3, 4, 5]) expect((await bindJson(userId, `identity-client-${i}.pem`)).status).toBe(201);
      const sixth = await bindJson(userId, "identity-client-6.pem");
      expectProblem(sixth, 409);
      expect(sixth.body.detail).toBe("api-user already has 5 client certificates, the most a user can bind; remove one before adding another.");
      expect(sixth.body.errors[0].field).toBe("certificate");
      const list = (await client.call("GET", certificatesOf(userId), { as: admin })).body.items;
      expect(list).toHaveLength(5);

      const removed = await client.call("DELETE", `${certificatesOf(userId)}/${list[0].id}`, { as: admin });
      expect(removed.status).toBe(204);
      expectProblem(await client.call("DELETE", `${certificatesOf(userId)}/${list[0].id}`, { as: admin }), 404);
      expect((await bindJson(userId, "identity-client-6.pem")).status).toBe(201);
    });

    it("refuses with 422 a certificate without clientAuth, a CA, an expired one, one with its key, and what is not a certificate", async () => {
      const cases: [string, string | Buffer, RegExp][] = [
        ["serverAuth only", pem("identity-serverauth.pem"), /no 'TLS Web Client Authentication' extended key usage \(id-kp-clientAuth\)/],
        ["a CA", testCert("root-ca.pem").toString(), /is a CA/],
        ["expired", testCert("client-expired.pem").toString(), /expired/],
        ["with its private key", pem("identity-client-1.pem") + pem("identity-client-1.key"), /private key/],
        ["not a certificate", "hello, I am a certificate", /./],
      ];
      for (const [what, certificate, detail] of cases) {
        const answer = await client.call("POST", certificatesOf(userId), { as: admin, json: { certificate: certificate.toString() } });
        expect(answer.status, `${what}: ${answer.text}`).toBe(422);
        expect(answer.body.detail, what).toMatch(detail);
        expect(answer.body.errors[0].field).toBe("certificate");
      }
      expectProblem(await client.call("POST", certificatesOf(userId), { as: admin, body: fileForm(testCert("root-ca.der"), "ca.der") }), 422);
      expectProblem(await client.call("POST", certificatesOf(userId), { as: admin, body: new FormData() }), 422);
      expectProblem(await client.call("POST", certificatesOf(userId), { as: admin, json: { certificate: pem("identity-client-1.pem"), userId: "x" } }), 422);
      expectProblem(await client.call("POST", certificatesOf(userId), { as: admin, body: pem("identity-client-1.pem"), headers: { "content-type": "text/plain" } }), 415);
      expect((await client.call("GET", certificatesOf(userId), { as: admin })).body.items).toEqual([]);
    });

    it("binds a self-signed certificate made by the README's plain openssl line, which openssl marks CA:TRUE", async () => {
      const bound = await bindJson(userId, "identity-ca-clientauth.pem");
      expect(bound.status, bound.text).toBe(201);
      expect(bound.body.subject).toBe("CN=api-user-ca");
    });

    it("binds a certificate to one user only (409 for a second user or the same one again)", async () => {
      expect((await bindJson(userId, "identity-client-1.pem")).status).toBe(201);
      const again = await bindJson(userId, "identity-client-1.pem");
      expectProblem(again, 409);
      expect(again.body.detail).toMatch(/already bound to this user/);
      const otherId = await createUser(client, admin, { username: "other-user", password: "other-user-password", role: "viewer" });
      const other = await bindJson(otherId, "identity-client-1.pem");
      expectProblem(other, 409);
      expect(other.body.detail).toMatch(/already bound to another user/);
      // The same key pair's certificate in DER is the same certificate.
      expectProblem(await client.call("POST", certificatesOf(otherId), { as: admin, body: fileForm(identityCert("identity-client-1.der"), "x.der") }), 409);
      expect((await client.call("GET", certificatesOf(otherId), { as: admin })).body.items).toEqual([]);
    });

    it("lets a user manage their own certificates and no one else's (404), and an admin anyone's", async () => {
      const own = await bindJson(userId, "identity-client-1.pem", user);
      expect(own.status, own.text).toBe(201);
      expect((await client.call("GET", certificatesOf(userId), { as: user })).body.items).toHaveLength(1);

      const adminId = (await client.call("GET", "/api/v1/me", { as: admin })).body.id;
      const adminBinding = await bindJson(adminId, "identity-client-2.pem");
      expect(adminBinding.status).toBe(201);
      expectProblem(await client.call("GET", certificatesOf(adminId), { as: user }), 404);
      expectProblem(await bindJson(adminId, "identity-client-3.pem", user), 404);
      expectProblem(await client.call("DELETE", `${certificatesOf(adminId)}/${adminBinding.body.id}`, { as: user }), 404);
      // A binding id under the wrong user is not found either.
      expectProblem(await client.call("DELETE", `${certificatesOf(userId)}/${adminBinding.body.id}`, { as: user }), 404);
      expect((await client.call("GET", certificatesOf(adminId), { as: admin })).body.items).toHaveLength(1);

      expect((await client.call("DELETE", `${certificatesOf(userId)}/${own.body.id}`, { as: user })).status).toBe(204);
      expect((await bindJson(userId, "identity-client-3.pem", admin)).status).toBe(201);
      expect((await client.call("GET", certificatesOf(userId), { as: user })).body.items.map((c: { subject: string }) => c.subject)).toEqual(["CN=api-user-3"]);
    });
  });
}
