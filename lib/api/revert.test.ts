// POST /api/v1/audit-events/{id}/revert through the real route handlers, store and data plane: a
// revert puts the settings back and the endpoint serves them when the answer comes; it is audited as
// listener.reverted naming the event; a listener changed since is not overwritten unasked (409 listing
// what would be), nor after a newer save (If-Match), nor a save that lands inside it (PostgreSQL, held by a
// lock); what is not a listener change is refused.
import tls from "node:tls";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { testCertText } from "../../test/certs";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

/** The status of one GET over a fresh TLS connection, or "refused" when no HTTP answer came. */
function statusOf(port: number, client: { cert?: string; key?: string } = {}): Promise<number | "refused"> {
  return new Promise((resolve) => {
    let text = "";
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: testCertText("root-ca.pem"), ...client }, () =>
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    );
    socket.on("data", (chunk) => (text += chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve(status ? Number(status) : "refused");
    });
  });
}

const CLIENT_ONE = { cert: testCertText("client.pem"), key: testCertText("client.key") };
const CLIENT_TWO = { cert: testCertText("client-two.pem"), key: testCertText("client-two.key") };

for (const target of storeTargets()) {
  describe(`reverting a listener change on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let loadBalancerId: string;
    let caId: string;
    let serverId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      const ca = await client.call("POST", "/api/v1/certificates", { as: admin, json: { name: "root", kind: "ca", certificate: testCertText("root-ca.pem") } });
      const server = await upload("web", "server.pem", "server.key");
      expect([lb.status, ca.status]).toEqual([201, 201]);
      [loadBalancerId, caId, serverId] = [lb.body.id, ca.body.id, server];
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    async function upload(name: string, certificate: string, privateKey?: string): Promise<string> {
      const kind = privateKey ? "server" : "client";
      const json = { name, kind, certificate: testCertText(certificate), ...(privateKey ? { privateKey: testCertText(privateKey) } : {}) };
      const answer = await client.call("POST", "/api/v1/certificates", { as: admin, json });
      expect(answer.status, answer.text).toBe(201);
      return answer.body.id;
    }

    async function createListener(clientAuth?: Record<string, unknown>) {
      const answer = await client.call("POST", `/api/v1/load-balancers/${loadBalancerId}/listeners`, {
        as: admin,
        json: { name: "https", protocol: "HTTPS", port: await freePort(), certificateId: serverId, ...(clientAuth ? { clientAuth } : {}) },
      });
      expect(answer.status, answer.text).toBe(201);
      return answer.body;
    }

    async function patch(id: string, json: unknown) {
      const answer = await client.call("PATCH", `/api/v1/listeners/${id}`, { as: admin, json });
      expect(answer.status, answer.text).toBe(200);
      return answer.body;
    }

    /** The listener's audit events, newest first. */
    async function eventsOf(listenerId: string) {
      const answer = await client.call("GET", `/api/v1/audit-events?targetType=listener&targetId=${listenerId}`, { as: admin });
      expect(answer.status).toBe(200);
      return answer.body.items as { id: string; action: string; at: string; actor: string; details: Record<string, unknown> }[];
    }

    const revert = (eventId: string, options: { json?: unknown; ifMatch?: number; as?: Credential } = {}) =>
      client.call("POST", `/api/v1/audit-events/${eventId}/revert`, {
        as: options.as ?? admin,
        json: options.json,
        headers: options.ifMatch === undefined ? {} : { "if-match": `"${options.ifMatch}"` },
      });

    it("reverts enabling Client CA: a client without a certificate is served again when the answer comes, audited naming the event", async () => {
      const listener = await createListener();
      expect(await statusOf(listener.port)).toBe(200);
      await patch(listener.id, { clientAuth: { enabled: true, caCertificateId: caId } });
      expect(await statusOf(listener.port)).not.toBe(200);
      const [enabled] = await eventsOf(listener.id);
      expect(enabled).toMatchObject({ id: expect.stringMatching(/^\d+$/), action: "listener.client_ca_enabled" });

      // No body at all: the same as {}.
      const answer = await revert(enabled.id);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({
        id: listener.id,
        version: listener.version + 2,
        clientAuth: { enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [] },
        endpoint: { state: "serving" },
        revert: { outcome: "reverted", detail: expect.stringContaining('listener "https" has its settings from before it again') },
      });
      expect(answer.headers.get("etag")).toBe(`"${listener.version + 2}"`);
      expect(await statusOf(listener.port)).toBe(200);

      const [reverted] = await eventsOf(listener.id);
      expect(reverted).toMatchObject({
        action: "listener.reverted",
        actor: "admin",
        details: {
          revertedEvent: { id: enabled.id, action: "listener.client_ca_enabled", at: enabled.at, actor: "admin" },
          before: { clientAuth: { enabled: true, caCertificateId: caId } },
          after: { clientAuth: { enabled: false, caCertificateId: null } },
        },
      });
      // The CA is free again: the revert released it as the change had taken it.
      expect((await client.call("GET", `/api/v1/certificates/${caId}`, { as: admin })).body.usedBy).toEqual([]);

      // The same revert again finds nothing to do: 200, nothing written, nothing audited.
      const again = await revert(enabled.id, { json: {} });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ version: listener.version + 2, revert: { outcome: "unchanged", detail: 'Listener "https" already has the settings it had before this change; nothing was changed.' } });
      expect((await eventsOf(listener.id))[0].id).toBe(reverted.id);

      // Reverting the revert turns Client CA back on.
      const redo = await revert(reverted.id);
      expect(redo.body).toMatchObject({ clientAuth: { enabled: true, caCertificateId: caId }, revert: { outcome: "reverted" } });
      expect(await statusOf(listener.port)).not.toBe(200);
      expect(await statusOf(listener.port, CLIENT_ONE)).toBe(200);
      expect((await eventsOf(listener.id))[0]).toMatchObject({ action: "listener.reverted", details: { revertedEvent: { id: reverted.id, action: "listener.reverted" } } });
    });

    it("restores only what the event changed: a later change of another setting stays, and is not asked about", async () => {
      const listener = await createListener({ enabled: true, caCertificateId: caId });
      await patch(listener.id, { clientAuth: { mode: "optional" } });
      const [modeChange] = await eventsOf(listener.id);
      await patch(listener.id, { name: "https-renamed" });
      expect(await statusOf(listener.port)).toBe(200);

      const answer = await revert(modeChange.id);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ name: "https-renamed", clientAuth: { enabled: true, mode: "required" }, revert: { outcome: "reverted" } });
      expect(await statusOf(listener.port)).not.toBe(200);
      expect(await statusOf(listener.port, CLIENT_ONE)).toBe(200);
    });

    it("asks before overwriting a later change (409 listing it), then overwrites exactly what it listed when confirmed", async () => {
      const two = await upload("client-two", "client-two.pem");
      const one = await upload("client-one", "client.pem");
      const listener = await createListener({ enabled: true, caCertificateId: caId });
      await patch(listener.id, { clientAuth: { trustedCertificateIds: [two] } });
      const [pinned] = await eventsOf(listener.id);
      const changed = await patch(listener.id, { clientAuth: { trustedCertificateIds: [one] } });
      expect([await statusOf(listener.port, CLIENT_ONE), await statusOf(listener.port, CLIENT_TWO)]).toEqual([200, 403]);
      const eventCount = (await eventsOf(listener.id)).length;

      for (const json of [undefined, { confirmOverwrite: false }]) {
        const refused = await revert(pinned.id, { json });
        expectProblem(refused, 409, "changed_since");
        expect(refused.body).toMatchObject({
          overwrites: [{ field: "clientAuth.trustedCertificateIds", current: [one], restored: [] }],
          listenerVersion: changed.version,
        });
        expect(refused.body.detail).toBe(
          `Listener "https" has changed since this change: reverting it would overwrite clientAuth.trustedCertificateIds. Revert with confirmOverwrite (and If-Match "${changed.version}") to overwrite them, or leave the listener as it is.`,
        );
      }
      expect((await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin })).body.version).toBe(changed.version);

      // Someone saves after the 409 was shown: the confirmation of the old values is stale.
      const newer = await patch(listener.id, { clientAuth: { trustedCertificateIds: [one, two] } });
      const stale = await revert(pinned.id, { json: { confirmOverwrite: true }, ifMatch: changed.version });
      expectProblem(stale, 409);
      expect(stale.body.type).toBe("urn:certgate:problem:stale-version");
      expect(stale.body.detail).toContain(`it is now at version ${newer.version}`);
      expect((await eventsOf(listener.id)).length).toBe(eventCount + 1);

      const confirmed = await revert(pinned.id, { json: { confirmOverwrite: true }, ifMatch: newer.version });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body).toMatchObject({ version: newer.version + 1, clientAuth: { trustedCertificateIds: [] }, revert: { outcome: "reverted" } });
      expect([await statusOf(listener.port, CLIENT_ONE), await statusOf(listener.port, CLIENT_TWO)]).toEqual([200, 200]);
      expect((await eventsOf(listener.id))[0]).toMatchObject({
        action: "listener.reverted",
        details: { revertedEvent: { id: pinned.id }, before: { clientAuth: { trustedCertificateIds: [one, two] } }, after: { clientAuth: { trustedCertificateIds: [] } } },
      });
    });

    it("refuses what is not a change of a listener's settings, an unknown event, a deleted listener and a bad body, changing nothing", async () => {
      const listener = await createListener();
      await patch(listener.id, { port: await freePort() });
      const [portChange, created] = await eventsOf(listener.id);
      expect(created.action).toBe("listener.created");
      const countBefore = (await rt.store.db.selectFrom("audit_events").select("id").execute()).length;

      const onCreate = await revert(created.id);
      expectProblem(onCreate, 422, "not_revertable");
      expect(onCreate.body.detail).toBe(`Only changes to a listener's settings can be reverted; this event created listener "https" (delete the listener to undo it).`);
      const lbEvent = (await client.call("GET", `/api/v1/audit-events?targetType=load_balancer`, { as: admin })).body.items[0];
      const onLoadBalancer = await revert(lbEvent.id);
      expectProblem(onLoadBalancer, 422, "not_revertable");
      expect(onLoadBalancer.body.detail).toBe(`Only changes to a listener's settings can be reverted; this event is load_balancer.created on load balancer "edge".`);

      for (const id of ["999999", "abc", "1e3", "-1"]) {
        const unknown = await revert(id);
        expectProblem(unknown, 404);
        expect(unknown.body.detail).toBe("No audit event has this id; take the id from GET /api/v1/audit-events (the Activity page).");
      }
      const badBody = await revert(portChange.id, { json: { confirmOverwrite: "yes" } });
      expectProblem(badBody, 422);
      expect(badBody.body.errors).toEqual([{ field: "confirmOverwrite", message: "confirmOverwrite must be true or false." }]);
      expectProblem(await revert(portChange.id, { json: { force: true } }), 422);
      expectProblem(await client.call("POST", `/api/v1/audit-events/${portChange.id}/revert`, { as: admin, body: "{}" }), 415);

      const password = "viewer-password-1";
      await createUser(client, admin, { username: "vera", password, role: "viewer" });
      const viewer = { cookie: await signIn(client, "vera", password) };
      expectProblem(await revert(portChange.id, { as: viewer }), 403, "forbidden_for_role");
      expect((await rt.store.db.selectFrom("audit_events").select("id").execute()).length).toBe(countBefore + 2); // the viewer's creation and sign-in

      expect((await client.call("DELETE", `/api/v1/listeners/${listener.id}`, { as: admin })).status).toBe(204);
      const gone = await revert(portChange.id);
      expectProblem(gone, 409, "listener_deleted");
      expect(gone.body.detail).toBe('Listener "https" has been deleted since this change, so there is nothing to revert.');
      const deleted = (await eventsOf(listener.id))[0];
      expectProblem(await revert(deleted.id), 422, "not_revertable");
    });

    it("refuses restoring a certificate deleted since with the listener's own message, and a port taken since", async () => {
      const other = await upload("web-2", "upload-server.pem", "upload-server.key");
      const listener = await createListener();
      await patch(listener.id, { certificateId: other });
      const [certificateChange] = await eventsOf(listener.id);
      expect((await client.call("DELETE", `/api/v1/certificates/${serverId}`, { as: admin })).status).toBe(204);

      const refused = await revert(certificateChange.id);
      expectProblem(refused, 422);
      expect(refused.body.errors).toEqual([{ field: "certificateId", message: "Pick a server certificate (one uploaded with its private key) for this HTTPS listener." }]);
      expect((await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin })).body).toMatchObject({ certificateId: other, version: listener.version + 1 });

      const oldPort = listener.port;
      await patch(listener.id, { port: await freePort() });
      const [portChange] = await eventsOf(listener.id);
      const squatter = await client.call("POST", `/api/v1/load-balancers/${loadBalancerId}/listeners`, { as: admin, json: { name: "plain", protocol: "HTTP", port: oldPort } });
      expect(squatter.status).toBe(201);
      const taken = await revert(portChange.id);
      expectProblem(taken, 409);
      expect(taken.body.detail).toBe(`Port ${oldPort} is already used by listener "plain" on load balancer "edge"; choose another port.`);
    });
  });
}

// PostgreSQL runs transactions side by side (SQLite one after another), so there a save can commit
// while a revert's transaction is between reading the listener and writing it. A lock on the
// certificates table holds the revert exactly there (it reads the listener's server certificate to
// check the restored settings, before it writes).
for (const target of storeTargets().filter((t) => t.name === "postgres")) {
  describe(`a save landing inside a revert on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
    });
    afterEach(async () => {
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    it("makes the revert a 409 stale version and keeps that save", async () => {
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      const server = await client.call("POST", "/api/v1/certificates", {
        as: admin,
        json: { name: "web", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") },
      });
      const created = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/listeners`, {
        as: admin,
        json: { name: "a", protocol: "HTTPS", port: await freePort(), certificateId: server.body.id },
      });
      const renamed = await client.call("PATCH", `/api/v1/listeners/${created.body.id}`, { as: admin, json: { name: "b" } });
      expect(renamed.status).toBe(200);
      const [event] = (await client.call("GET", `/api/v1/audit-events?targetId=${created.body.id}`, { as: admin })).body.items;

      let reverted: Promise<Awaited<ReturnType<ApiClient["call"]>>> | undefined;
      await rt.store.db.transaction().execute(async (trx) => {
        await sql`lock table certificates in access exclusive mode`.execute(trx);
        reverted = client.call("POST", `/api/v1/audit-events/${event.id}/revert`, { as: admin });
        // Until the revert waits for the lock: it has read the listener at "b" and found nothing changed since.
        await expect
          .poll(async () => (await sql`select 1 from pg_locks where not granted and relation = 'certificates'::regclass`.execute(rt.store.db)).rows.length, { timeout: 10_000 })
          .toBe(1);
        await sql`update listeners set name = 'c', version = version + 1 where id = ${created.body.id}`.execute(trx);
      });

      const answer = await reverted!;
      expectProblem(answer, 409);
      expect(answer.body.type).toBe("urn:certgate:problem:stale-version");
      const now = await client.call("GET", `/api/v1/listeners/${created.body.id}`, { as: admin });
      expect(now.body).toMatchObject({ name: "c", version: renamed.body.version + 1 });
      const [newest] = (await client.call("GET", `/api/v1/audit-events?targetId=${created.body.id}`, { as: admin })).body.items;
      expect(newest.id).toBe(event.id);
    });
  });
}
