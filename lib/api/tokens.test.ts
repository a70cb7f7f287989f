// Personal API tokens through the real route handlers: shown once, acting as their user with the
// user's role, refused on the very next request once revoked, expired or their user disabled.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

for (const target of storeTargets()) {
  describe(`API tokens on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let operator: Credential;
    let operatorId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      operatorId = await createUser(client, admin, { username: "ops", password: "ops-password-1", role: "operator" });
      operator = { cookie: await signIn(client, "ops", "ops-password-1") };
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    async function makeToken(owner: Credential, name = "ci-deploy", expiresInDays = 30) {
      const answer = await client.call("POST", "/api/v1/tokens", { as: owner, json: { name, expiresInDays } });
      expect(answer.status, answer.text).toBe(201);
      return answer;
    }

    it("shows a new token once, as cgt.<id>.<secret>, and never again in the list", async () => {
      const before = Date.now();
      const created = await makeToken(operator);
      expect(created.headers.get("location")).toBe(`/api/v1/tokens/${created.body.id}`);
      expect(created.body).toMatchObject({ id: expect.any(String), name: "ci-deploy", token: expect.stringMatching(/^cgt\.[^.]+\.[A-Za-z0-9_-]{40,}$/) });
      expect(created.body.token.split(".")[1]).toBe(created.body.id);
      const expiresIn = Date.parse(created.body.expiresAt) - before;
      expect(expiresIn).toBeGreaterThan(30 * 86_400_000 - 60_000);
      expect(expiresIn).toBeLessThan(30 * 86_400_000 + 60_000);

      const list = await client.call("GET", "/api/v1/tokens", { as: operator });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([{ id: created.body.id, name: "ci-deploy", createdAt: expect.any(String), expiresAt: created.body.expiresAt, lastUsedAt: null }]);
      expect(list.body.items[0]).not.toHaveProperty("token");
      // Each user lists only their own.
      expect((await client.call("GET", "/api/v1/tokens", { as: admin })).body.items).toEqual([]);
    });

    it("acts as its user with that user's role, records last use, and Activity names the token", async () => {
      const created = await makeToken(operator);
      const bearer = { bearer: created.body.token };
      const me = await client.call("GET", "/api/v1/me", { as: bearer });
      expect(me.body).toEqual({ id: operatorId, username: "ops", role: "operator", authenticatedBy: "token" });
      expect((await client.call("POST", "/api/v1/load-balancers", { as: bearer, json: { name: "from-ci" } })).status).toBe(201);
      expectProblem(await client.call("GET", "/api/v1/users", { as: bearer }), 403, "forbidden_for_role");

      const events = await client.call("GET", "/api/v1/audit-events?targetType=load_balancer", { as: bearer });
      expect(events.body.items[0]).toMatchObject({ actor: "ops", actorVia: "token ci-deploy", action: "load_balancer.created" });
      const [token] = (await client.call("GET", "/api/v1/tokens", { as: operator })).body.items;
      expect(Date.parse(token.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);

      // A viewer's token reads and is refused writes, like the viewer.
      await createUser(client, admin, { username: "watcher", password: "watcher-password", role: "viewer" });
      const viewerToken = await makeToken({ cookie: await signIn(client, "watcher", "watcher-password") }, "dashboard");
      expect((await client.call("GET", "/api/v1/load-balancers", { as: { bearer: viewerToken.body.token } })).status).toBe(200);
      expectProblem(await client.call("POST", "/api/v1/load-balancers", { as: { bearer: viewerToken.body.token }, json: { name: "nope" } }), 403, "forbidden_for_role");
    });

    it("is refused with invalid_token on the next request once revoked, and with a wrong secret", async () => {
      const created = await makeToken(operator);
      const bearer = { bearer: created.body.token };
      expect((await client.call("GET", "/api/v1/me", { as: bearer })).status).toBe(200);
      const [prefix, id, secret] = created.body.token.split(".");
      const tampered = `${prefix}.${id}.${secret.slice(0, -2)}${secret.endsWith("AA") ? "BB" : "AA"}`;
      expectProblem(await client.call("GET", "/api/v1/me", { as: { bearer: tampered } }), 401, "invalid_token");

      const revoked = await client.call("DELETE", `/api/v1/tokens/${created.body.id}`, { as: operator });
      expect(revoked.status).toBe(204);
      const after = await client.call("GET", "/api/v1/me", { as: bearer });
      expectProblem(after, 401, "invalid_token");
      expect(after.headers.get("www-authenticate")).toBe('Bearer realm="certgate"');
      expect((await client.call("GET", "/api/v1/tokens", { as: operator })).body.items).toEqual([]);
      expectProblem(await client.call("DELETE", `/api/v1/tokens/${created.body.id}`, { as: operator }), 404);
    });

    it("is refused with token_expired once past its expiry", async () => {
      const created = await makeToken(operator, "short", 1);
      // A day is long for a test: the expiry is moved into the past in the store.
      await rt.store.db.updateTable("api_tokens").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("id", "=", created.body.id).execute();
      const answer = await client.call("GET", "/api/v1/load-balancers", { as: { bearer: created.body.token } });
      expectProblem(answer, 401, "token_expired");
      expect(answer.body.detail).toMatch(/The API token "short" expired at/);
    });

    it("is refused with user_disabled while its user is disabled, and works again when enabled", async () => {
      const created = await makeToken(operator);
      const bearer = { bearer: created.body.token };
      expect((await client.call("PATCH", `/api/v1/users/${operatorId}`, { as: admin, json: { disabled: true } })).status).toBe(200);
      expectProblem(await client.call("GET", "/api/v1/me", { as: bearer }), 401, "user_disabled");
      expect((await client.call("PATCH", `/api/v1/users/${operatorId}`, { as: admin, json: { disabled: false } })).status).toBe(200);
      expect((await client.call("GET", "/api/v1/me", { as: bearer })).status).toBe(200);
    });

    it("lets only its owner or an admin revoke it", async () => {
      const created = await makeToken(operator);
      await createUser(client, admin, { username: "other", password: "other-password", role: "operator" });
      const other = { cookie: await signIn(client, "other", "other-password") };
      expectProblem(await client.call("DELETE", `/api/v1/tokens/${created.body.id}`, { as: other }), 404);
      expect((await client.call("GET", "/api/v1/me", { as: { bearer: created.body.token } })).status).toBe(200);
      expect((await client.call("DELETE", `/api/v1/tokens/${created.body.id}`, { as: admin })).status).toBe(204);
      expectProblem(await client.call("GET", "/api/v1/me", { as: { bearer: created.body.token } }), 401, "invalid_token");
    });

    it("refuses an expiry outside 1–365 days, a missing name and unknown fields with 422, storing nothing", async () => {
      for (const json of [
        { name: "x", expiresInDays: 0 },
        { name: "x", expiresInDays: 366 },
        { name: "x", expiresInDays: 1.5 },
        { name: "x", expiresInDays: "30" },
        { expiresInDays: 30 },
        { name: "   ", expiresInDays: 30 },
        { name: "x", expiresInDays: 30, role: "admin" },
      ]) {
        const answer = await client.call("POST", "/api/v1/tokens", { as: operator, json });
        expectProblem(answer, 422);
        expect(answer.body.errors.length).toBeGreaterThan(0);
      }
      expect((await client.call("GET", "/api/v1/tokens", { as: operator })).body.items).toEqual([]);
    });
  });
}
