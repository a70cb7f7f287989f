// authenticate() for requests from the API client-certificate port: the console server hands over the
// presented certificate's SHA-256 in CLIENT_CERTIFICATE_HEADER, and the decision is made against the
// store on every request. Real store, openssl-made certificates bound through the real API routes.
import { X509Certificate } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { identityCert } from "../../test/certs";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { CLIENT_CERTIFICATE_HEADER } from "../http/console-request-guard";
import type { Runtime } from "../services/runtime";
import { listAuditEvents } from "../store/audit-repo";
import { authenticate, credentialsOf } from "./authenticate";

function sha256Of(pemFile: string): string {
  return new X509Certificate(identityCert(pemFile)).fingerprint256.replaceAll(":", "").toLowerCase();
}

/** The credentials a request from the client-certificate port carries (plus anything else it sent). */
function fromPort(fingerprint: string, extra: Record<string, string> = {}) {
  return credentialsOf(new Headers({ ...extra, [CLIENT_CERTIFICATE_HEADER]: fingerprint ? `sha256=${fingerprint}` : "" }));
}

for (const target of storeTargets()) {
  describe(`authenticate() by client certificate on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let userId: string;
    const bound = sha256Of("identity-client-1.pem");

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      userId = await createUser(client, admin, { username: "deploy-bot", password: "deploy-bot-password", role: "operator" });
      const bind = await client.call("POST", `/api/v1/users/${userId}/client-certificates`, { as: admin, json: { certificate: identityCert("identity-client-1.pem").toString() } });
      expect(bind.status, bind.text).toBe(201);
      expect(bind.body.fingerprintSha256).toBe(bound);
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    const enableMethod = async (on: boolean) =>
      expect((await client.call("PATCH", `/api/v1/users/${userId}`, { as: admin, json: { clientCertificateAuth: on } })).status).toBe(200);

    it("refuses a bound certificate while the user has not turned the method on (method_disabled)", async () => {
      const error = await rejection(authenticate(rt, fromPort(bound)));
      expect(error.status).toBe(401);
      expect(error.extras.reason).toBe("method_disabled");
      expect(error.detail).toMatch(/Client certificate authentication is disabled for the user deploy-bot/);
    });

    it("authenticates the bound certificate as its user once the method is on, and Activity names the certificate", async () => {
      await enableMethod(true);
      const caller = await authenticate(rt, fromPort(bound));
      expect(caller).toMatchObject({ userId, username: "deploy-bot", role: "operator", authenticatedBy: "certificate" });

      const me = await client.call("GET", "/api/v1/me", { as: { certificateSha256: bound } });
      expect(me.body).toEqual({ id: userId, username: "deploy-bot", role: "operator", authenticatedBy: "certificate" });
      const created = await client.call("POST", "/api/v1/load-balancers", { as: { certificateSha256: bound }, json: { name: "by-certificate" } });
      expect(created.status).toBe(201);
      const [event] = (await listAuditEvents(rt.store.db, { targetType: "load_balancer" }, { limit: 1, cursor: null })).items;
      expect(event).toMatchObject({ actor: "deploy-bot", actorVia: `certificate SHA-256 ${bound.slice(0, 16)}…`, action: "load_balancer.created" });
    });

    it("refuses a certificate no user has bound (unknown_certificate), and one whose binding was removed on the next request", async () => {
      await enableMethod(true);
      const unknown = await rejection(authenticate(rt, fromPort(sha256Of("identity-client-2.pem"))));
      expect(unknown.extras.reason).toBe("unknown_certificate");
      expect(unknown.detail).toMatch(/^Unknown certificate/);

      const list = await client.call("GET", `/api/v1/users/${userId}/client-certificates`, { as: admin });
      expect((await authenticate(rt, fromPort(bound))).username).toBe("deploy-bot");
      expect((await client.call("DELETE", `/api/v1/users/${userId}/client-certificates/${list.body.items[0].id}`, { as: admin })).status).toBe(204);
      expectProblem(await client.call("GET", "/api/v1/me", { as: { certificateSha256: bound } }), 401, "unknown_certificate");
    });

    it("refuses the certificate of a disabled user (user_disabled)", async () => {
      await enableMethod(true);
      expect((await client.call("PATCH", `/api/v1/users/${userId}`, { as: admin, json: { disabled: true } })).status).toBe(200);
      const error = await rejection(authenticate(rt, fromPort(bound)));
      expect(error.extras.reason).toBe("user_disabled");
      expectProblem(await client.call("GET", "/api/v1/me", { as: { certificateSha256: bound } }), 401, "user_disabled");
    });

    it("refuses a request on the port that presented no certificate (no_certificate)", async () => {
      for (const header of ["", "none", "sha256=xyz"]) {
        const error = await rejection(authenticate(rt, credentialsOf(new Headers({ [CLIENT_CERTIFICATE_HEADER]: header }))));
        expect(error.status).toBe(401);
        expect(error.extras.reason).toBe("no_certificate");
      }
    });

    it("refuses a binding past its certificate's validity (certificate_expired)", async () => {
      await enableMethod(true);
      // The upload refuses expired certificates, so the binding is aged in the store.
      await rt.store.db.updateTable("user_client_certificates").set({ not_after: "2020-01-01T00:00:00.000Z" }).where("fingerprint_sha256", "=", bound).execute();
      const error = await rejection(authenticate(rt, fromPort(bound)));
      expect(error.extras.reason).toBe("certificate_expired");
    });

    it("ignores a Bearer token and a session cookie when the certificate header is there", async () => {
      await enableMethod(true);
      const token = await client.call("POST", "/api/v1/tokens", { as: admin, json: { name: "admin-script", expiresInDays: 1 } });
      const adminCookie = (admin as { cookie: string }).cookie;
      // Good admin credentials do not rescue an unknown certificate ...
      const unknown = await rejection(
        authenticate(rt, fromPort(sha256Of("identity-client-3.pem"), { authorization: `Bearer ${token.body.token}`, cookie: `certgate_session=${adminCookie}` })),
      );
      expect(unknown.extras.reason).toBe("unknown_certificate");
      // ... and do not turn the certificate's user into the admin.
      const caller = await authenticate(rt, fromPort(bound, { authorization: `Bearer ${token.body.token}`, cookie: `certgate_session=${adminCookie}` }));
      expect(caller).toMatchObject({ username: "deploy-bot", role: "operator", authenticatedBy: "certificate" });
      // Nor does a session exist on that port: signing in there is refused.
      expectProblem(
        await client.call("POST", "/api/v1/session", { json: { username: "admin", password: firstAdminPassword(rt) }, headers: { [CLIENT_CERTIFICATE_HEADER]: `sha256=${bound}` } }),
        400,
      );
    });
  });
}
