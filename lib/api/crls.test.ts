// Certificate revocation lists through the real route handlers, store and data plane: uploads as
// PEM, DER (multipart) and JSON, the refusals (wrong CA, malformed, from the future, not a CA
// certificate, duplicate) that store nothing, the newest CRL per issuer in force, delete, roles,
// audit, and the endpoint refusing a revoked client once the upload answered.
import tls from "node:tls";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { crlFile, testCertText } from "../../test/certs";
import { buildCrl } from "../../test/crl-builder";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";
import { readConfigRevision } from "../store/dataplane-state-repo";

/** The HTTP status the endpoint answers a client with, or "refused" when no HTTP answer came. */
function statusFor(port: number, name: string): Promise<number | "refused"> {
  return new Promise((resolve) => {
    let text = "";
    const socket = tls.connect(
      { host: "127.0.0.1", port, servername: "localhost", ca: testCertText("root-ca.pem"), cert: testCertText(`${name}.pem`), key: testCertText(`${name}.key`) },
      () => socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    );
    socket.on("data", (chunk) => (text += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(text.startsWith("HTTP/1.1 ") ? Number(text.slice(9, 12)) : "refused"));
  });
}

function multipart(file: Buffer | string, filename = "ca.crl"): { body: FormData } {
  const form = new FormData();
  form.set("file", new Blob([typeof file === "string" ? file : new Uint8Array(file)]), filename);
  return { body: form };
}

for (const target of storeTargets()) {
  describe(`CRLs through the API on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let caId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const ca = await client.call("POST", "/api/v1/certificates", { as: admin, json: { name: "root", kind: "ca", certificate: testCertText("root-ca.pem") } });
      expect(ca.status).toBe(201);
      caId = ca.body.id;
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    const crls = (as: Credential = admin) => client.call("GET", `/api/v1/certificates/${caId}/crls`, { as });
    const upload = (json: unknown, as: Credential = admin, id = caId) => client.call("POST", `/api/v1/certificates/${id}/crls`, { as, json });

    it("takes a PEM CRL as JSON: 201 with its details, in force, audited, and listed", async () => {
      const answer = await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.headers.get("location")).toBe(`/api/v1/certificates/${caId}/crls/${answer.body.id}`);
      expect(answer.body).toMatchObject({
        id: expect.any(String),
        issuer: "CN=Test Root CA,O=Test Corp",
        thisUpdate: expect.stringMatching(/Z$/),
        nextUpdate: expect.stringMatching(/Z$/),
        revokedCount: 1,
        createdAt: expect.any(String),
        inForce: true,
        expired: false,
        crlNumber: "2",
      });
      expect(answer.body).not.toHaveProperty("der");
      expect((await crls()).body.items.map((c: { id: string }) => c.id)).toEqual([answer.body.id]);
      const events = await client.call("GET", `/api/v1/audit-events?targetType=certificate&targetId=${caId}`, { as: admin });
      expect(events.body.items[0]).toMatchObject({
        action: "certificate.crl_uploaded",
        actor: "admin",
        target: { type: "certificate", id: caId, name: "root" },
        details: { crlId: answer.body.id, issuer: "CN=Test Root CA,O=Test Corp", revokedCount: 1 },
      });
    });

    it("takes DER and PEM files as multipart, and base64 DER as JSON", async () => {
      const der = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, ...multipart(crlFile("crl-root-2.der")) });
      expect(der.status, der.text).toBe(201);
      expect(der.body.revokedCount).toBe(2);
      const pem = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, ...multipart(crlFile("crl-root-1.pem"), "root.pem") });
      expect(pem.status, pem.text).toBe(201);
      const base64 = await upload({ crl: crlFile("crl-root-empty.pem").toString("utf8").replace(/-----[^-]+-----|\s/g, "") });
      expect(base64.status, base64.text).toBe(201);
      expect(base64.body.revokedCount).toBe(0);
    });

    it("refuses a CRL signed by another CA with a problem naming the signer, storing nothing", async () => {
      const answer = await upload({ crl: crlFile("crl-other.pem").toString("utf8") });
      expectProblem(answer, 422, "wrong_issuer");
      expect(answer.body.detail).toContain("This CRL is signed by CN=Other Root CA,O=Other Corp, not by this CA");
      expect(answer.body.errors).toEqual([{ field: "crl", message: answer.body.detail }]);
      expect((await crls()).body.items).toEqual([]);
      expect(await rt.store.db.selectFrom("crls").selectAll().execute()).toEqual([]);
    });

    it("refuses malformed, truncated, empty and from-the-future CRLs, and a certificate in place of a CRL", async () => {
      const pem = crlFile("crl-root-1.pem").toString("utf8");
      const der = crlFile("crl-root-2.der");
      const future = buildCrl({
        caCertificate: testCertText("root-ca.pem"),
        caKey: testCertText("root-ca.key"),
        thisUpdate: new Date(Date.now() + 3_600_000),
        serials: [1n],
      });
      const cases: [unknown, string][] = [
        [{ crl: der.subarray(0, der.length - 10).toString("base64") }, "truncated"],
        [{ crl: Buffer.concat([der, Buffer.from([0, 0])]).toString("base64") }, "trailing_data"],
        [{ crl: "not a crl at all" }, "not_a_crl"],
        [{ crl: "   " }, "empty"],
        [{ crl: pem.replace("-----END X509 CRL-----", "").trimEnd() }, ""],
        [{ crl: future.toString("base64") }, "from_the_future"],
        [{ crl: testCertText("root-ca.pem") }, "not_a_crl"],
      ];
      for (const [body, reason] of cases) {
        const answer = await upload(body);
        expectProblem(answer, answer.status === 400 ? 400 : 422, reason || undefined);
        expect(answer.body.detail.length).toBeGreaterThan(20);
      }
      expect((await upload({ crl: future.toString("base64") })).body.detail).toContain("in the future");
      expectProblem(await upload({ wrong: "field" }), 422);
      expectProblem(await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, body: "x", headers: { "content-type": "text/plain" } }), 415);
      expectProblem(await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, body: new FormData() }), 422);
      expect(await rt.store.db.selectFrom("crls").selectAll().execute()).toEqual([]);
    });

    it("takes CRLs on CA certificates only (409 naming the fix), and 404 for an unknown certificate", async () => {
      const leaf = await client.call("POST", "/api/v1/certificates", { as: admin, json: { name: "one", kind: "client", certificate: testCertText("client.pem") } });
      const answer = await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") }, admin, leaf.body.id);
      expectProblem(answer, 409, "not_a_ca_certificate");
      expect(answer.body.detail).toContain("is not a CA certificate");
      expectProblem(await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") }, admin, "nope"), 404);
      expectProblem(await client.call("GET", "/api/v1/certificates/nope/crls", { as: admin }), 404);
      expect(await rt.store.db.selectFrom("crls").selectAll().execute()).toEqual([]);
    });

    it("takes a 100,000-entry CRL as a multipart DER file (over the certificates' 2 MiB body limit), and answers 413 above the CRL limit", async () => {
      const big = buildCrl({
        caCertificate: testCertText("root-ca.pem"),
        caKey: testCertText("root-ca.key"),
        thisUpdate: new Date(Date.now() - 60_000),
        serials: Array.from({ length: 100_000 }, (_, i) => 10_000_000n + BigInt(i)),
      });
      expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
      const answer = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, ...multipart(big) });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.body).toMatchObject({ revokedCount: 100_000, inForce: true });
      const huge = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, json: { crl: "A".repeat(34 * 1024 * 1024) } });
      expectProblem(huge, 413);
      expect(huge.body.detail).toContain("larger than 33 MiB");
      expect((await crls()).body.items).toHaveLength(1);
    });

    it("refuses the same CRL twice with 409, and keeps the first", async () => {
      expect((await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") })).status).toBe(201);
      const again = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, ...multipart(crlFile("crl-root-1.pem")) });
      expectProblem(again, 409, "duplicate_crl");
      expect(again.body.detail).toContain("already uploaded");
      expect((await crls()).body.items).toHaveLength(1);
    });

    it("puts the newest CRL per issuer in force (by thisUpdate, not upload order), and delete brings the older back", async () => {
      const key = testCertText("root-ca.key");
      const cert = testCertText("root-ca.pem");
      const newer = buildCrl({ caCertificate: cert, caKey: key, thisUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + 86_400_000), serials: [7n] });
      const older = buildCrl({ caCertificate: cert, caKey: key, thisUpdate: new Date(Date.now() - 7_200_000), nextUpdate: new Date(Date.now() - 3_600_000), serials: [] });
      const a = await upload({ crl: newer.toString("base64") });
      const b = await upload({ crl: older.toString("base64") });
      expect([a.body.inForce, b.body.inForce, b.body.expired]).toEqual([true, false, true]);
      const listed = (await crls()).body.items;
      expect(listed.map((c: { id: string; inForce: boolean }) => [c.id, c.inForce])).toEqual([[a.body.id, true], [b.body.id, false]]);

      const deleted = await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${a.body.id}`, { as: admin });
      expect(deleted.status).toBe(204);
      expect((await crls()).body.items).toMatchObject([{ id: b.body.id, inForce: true, expired: true }]);
      expectProblem(await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${a.body.id}`, { as: admin }), 404);
      const events = await client.call("GET", `/api/v1/audit-events?targetType=certificate&targetId=${caId}`, { as: admin });
      expect(events.body.items[0]).toMatchObject({ action: "certificate.crl_deleted", details: { crlId: a.body.id } });
      // The certificate list flags a CA whose CRL in force is past its next update (the expiry banner).
      const list = await client.call("GET", "/api/v1/certificates?kind=ca", { as: admin });
      expect(list.body.items[0].crlsPastNextUpdate).toEqual([{ id: b.body.id, issuer: "CN=Test Root CA,O=Test Corp", nextUpdate: b.body.nextUpdate }]);
    });

    it("lets a viewer read CRLs and refuses its uploads and deletes (403), an operator changes them", async () => {
      await createUser(client, admin, { username: "vera", password: "viewer-password-1", role: "viewer" });
      await createUser(client, admin, { username: "otto", password: "operator-password-1", role: "operator" });
      const viewer = { cookie: await signIn(client, "vera", "viewer-password-1") };
      const operator = { cookie: await signIn(client, "otto", "operator-password-1") };
      expectProblem(await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") }, viewer), 403, "forbidden_for_role");
      const made = await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") }, operator);
      expect(made.status).toBe(201);
      expect((await crls(viewer)).body.items).toHaveLength(1);
      expectProblem(await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${made.body.id}`, { as: viewer }), 403, "forbidden_for_role");
      expect((await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${made.body.id}`, { as: operator })).status).toBe(204);
      expectProblem(await client.call("GET", `/api/v1/certificates/${caId}/crls`), 401);
    });

    it("is in force on the listener when the upload answers, bumps the config revision, and goes with its certificate", async () => {
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      const server = await client.call("POST", "/api/v1/certificates", {
        as: admin,
        json: { name: "web", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") },
      });
      const port = await freePort();
      const listener = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/listeners`, {
        as: admin,
        json: { name: "https", protocol: "HTTPS", port, certificateId: server.body.id, clientAuth: { enabled: true, caCertificateId: caId } },
      });
      expect(listener.status).toBe(201);
      expect(await statusFor(port, "client")).toBe(200);
      const revision = () => readConfigRevision(rt.store.db);
      const before = await revision();

      const first = await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") });
      expect(first.status).toBe(201);
      expect(await revision()).not.toBe(before);
      expect(await statusFor(port, "client")).toBe(403);
      expect(await statusFor(port, "client-two")).toBe(200);
      const second = await upload({ crl: crlFile("crl-root-2.pem").toString("utf8") });
      expect(second.status).toBe(201);
      expect(await statusFor(port, "client-two")).toBe(403);
      const log = await client.call("GET", `/api/v1/listeners/${listener.body.id}/connections`, { as: admin });
      expect(log.body.items.filter((c: { reason: string }) => c.reason === "revoked").length).toBeGreaterThanOrEqual(1);

      await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${second.body.id}`, { as: admin });
      await client.call("DELETE", `/api/v1/certificates/${caId}/crls/${first.body.id}`, { as: admin });
      expect(await statusFor(port, "client")).toBe(200);

      // Deleting the CA certificate deletes its CRLs.
      await upload({ crl: crlFile("crl-root-1.pem").toString("utf8") });
      await client.call("DELETE", `/api/v1/listeners/${listener.body.id}`, { as: admin });
      expect((await client.call("DELETE", `/api/v1/certificates/${caId}`, { as: admin })).status).toBe(204);
      expect(await rt.store.db.selectFrom("crls").selectAll().execute()).toEqual([]);
    });
  });
}
