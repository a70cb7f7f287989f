// Backend pools through the real route handlers and store: CRUD with defaults, every validation
// message (nothing stored), the 409 for a pool in use naming its listeners, roles, a listener's
// defaultPoolId (checked against the load balancer), If-Match, the audit trail, and a change in force
// (forwarding to a real backend) by the time the API answers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingBackend } from "../../test/backend";
import { plainRequest } from "../../test/dataplane";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { poolSchema } from "../schemas/responses";
import type { Runtime } from "../services/runtime";

const DEFAULT_HEALTH_CHECK = { path: "/", intervalSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 };

for (const target of storeTargets()) {
  describe(`pools through the API on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let loadBalancerId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      expect(lb.status).toBe(201);
      loadBalancerId = lb.body.id;
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    const createPool = (json: unknown, lb = loadBalancerId, as = admin) => client.call("POST", `/api/v1/load-balancers/${lb}/pools`, { as, json });
    const createListener = async (json: Record<string, unknown> = {}, lb = loadBalancerId) =>
      client.call("POST", `/api/v1/load-balancers/${lb}/listeners`, { as: admin, json: { name: "web", protocol: "HTTP", port: await freePort(), ...json } });

    it("creates with the documented defaults, reads, lists, patches and deletes a pool", async () => {
      const created = await createPool({ name: "app", members: [{ address: "127.0.0.1", port: 8080 }] });
      expect(created.status, created.text).toBe(201);
      expect(created.headers.get("location")).toBe(`/api/v1/pools/${created.body.id}`);
      expect(created.headers.get("etag")).toBe('"1"');
      expect(poolSchema.parse(created.body)).toEqual({
        id: expect.any(String),
        loadBalancerId,
        name: "app",
        algorithm: "round_robin",
        members: [{ address: "127.0.0.1", port: 8080, weight: 1, health: "unknown" }],
        healthCheck: DEFAULT_HEALTH_CHECK,
        usedBy: [],
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id;

      const empty = await createPool({ name: "nothing-yet" });
      expect(empty.status).toBe(201);
      expect(empty.body.members).toEqual([]);

      const list = await client.call("GET", `/api/v1/load-balancers/${loadBalancerId}/pools`, { as: admin });
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(["app", "nothing-yet"]);

      const patched = await client.call("PATCH", `/api/v1/pools/${id}`, {
        as: admin,
        headers: { "if-match": '"1"' },
        json: {
          algorithm: "least_connections",
          members: [
            { address: "app-1.internal", port: 80, weight: 3 },
            { address: "2001:db8::1", port: 80, weight: 1 },
          ],
          healthCheck: { path: "/healthz", intervalSeconds: 10 },
        },
      });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body).toMatchObject({
        version: 2,
        algorithm: "least_connections",
        members: [
          { address: "app-1.internal", port: 80, weight: 3, health: "unknown" },
          { address: "2001:db8::1", port: 80, weight: 1, health: "unknown" },
        ],
        healthCheck: { path: "/healthz", intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 },
      });
      const stale = await client.call("PATCH", `/api/v1/pools/${id}`, { as: admin, headers: { "if-match": '"1"' }, json: { name: "late" } });
      expectProblem(stale, 409);
      expect(stale.body.detail).toContain("Someone else saved this pool first");

      const read = await client.call("GET", `/api/v1/pools/${id}`, { as: admin });
      expect(read.headers.get("etag")).toBe('"2"');
      expect(read.body.name).toBe("app");

      expect((await client.call("DELETE", `/api/v1/pools/${id}`, { as: admin })).status).toBe(204);
      expectProblem(await client.call("GET", `/api/v1/pools/${id}`, { as: admin }), 404);
      expectProblem(await client.call("DELETE", `/api/v1/pools/${id}`, { as: admin }), 404);
      expectProblem(await client.call("GET", "/api/v1/load-balancers/nope/pools", { as: admin }), 404);
      expectProblem(await createPool({ name: "x" }, "nope"), 404);
    });

    it("refuses bad pools with a message naming the field and what to do, storing nothing", async () => {
      const cases: [unknown, string, string][] = [
        [{ name: "" }, "name", "Use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit."],
        [{ name: "p", algorithm: "random" }, "algorithm", "algorithm must be round_robin or least_connections."],
        [{ name: "p", members: [{ address: "not an address", port: 80 }] }, "members.0.address", "address must be an IP address (192.0.2.10, 2001:db8::1) or a host name (app.internal)."],
        [{ name: "p", members: [{ address: "10.0.0.300", port: 80 }] }, "members.0.address", "address must be an IP address (192.0.2.10, 2001:db8::1) or a host name (app.internal)."],
        [{ name: "p", members: [{ address: "10.0.0.1", port: 0 }] }, "members.0.port", "Port must be a whole number from 1 to 65535."],
        [{ name: "p", members: [{ address: "10.0.0.1", port: 70000 }] }, "members.0.port", "Port must be a whole number from 1 to 65535."],
        [{ name: "p", members: [{ address: "10.0.0.1", port: 80, weight: 0 }] }, "members.0.weight", "weight must be a whole number from 1 to 100."],
        [{ name: "p", members: [{ address: "10.0.0.1", port: 80, weight: 101 }] }, "members.0.weight", "weight must be a whole number from 1 to 100."],
        [
          { name: "p", members: [{ address: "10.0.0.1", port: 80 }, { address: "10.0.0.1", port: 80 }] },
          "members.1.address",
          "10.0.0.1:80 is listed twice; list each member once.",
        ],
        [
          { name: "p", members: Array.from({ length: 65 }, (_, i) => ({ address: "10.0.0.1", port: 1000 + i })) },
          "members",
          "A pool has at most 64 members; split the backends over several pools.",
        ],
        [{ name: "p", healthCheck: { path: "healthz" } }, "healthCheck.path", 'path must start with "/" and hold no spaces, e.g. /healthz.'],
        [{ name: "p", healthCheck: { intervalSeconds: 0 } }, "healthCheck.intervalSeconds", "intervalSeconds must be a whole number from 1 to 300."],
        [{ name: "p", healthCheck: { intervalSeconds: 301 } }, "healthCheck.intervalSeconds", "intervalSeconds must be a whole number from 1 to 300."],
        [{ name: "p", healthCheck: { healthyThreshold: 11 } }, "healthCheck.healthyThreshold", "healthyThreshold must be a whole number from 1 to 10."],
        [{ name: "p", healthCheck: { unhealthyThreshold: 0 } }, "healthCheck.unhealthyThreshold", "unhealthyThreshold must be a whole number from 1 to 10."],
        [{ name: "p", color: "blue" }, "body", "Unknown field(s): color."],
      ];
      for (const [json, field, message] of cases) {
        const answer = await createPool(json);
        expectProblem(answer, 422);
        expect(answer.body.errors[0], JSON.stringify(json)).toEqual({ field, message });
      }
      const created = await createPool({ name: "app" });
      expect((await createPool({ name: "app" })).body.detail).toBe('A pool named "app" already exists on this load balancer; choose another name.');
      const badPatch = await client.call("PATCH", `/api/v1/pools/${created.body.id}`, { as: admin, json: { members: [{ address: "10.0.0.1", port: "80" }] } });
      expectProblem(badPatch, 422);
      const list = await client.call("GET", `/api/v1/load-balancers/${loadBalancerId}/pools`, { as: admin });
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ version: 1, members: [] });
    });

    it("sets a listener's defaultPoolId, checked against its load balancer, and refuses deleting a pool in use", async () => {
      const pool = (await createPool({ name: "app", members: [{ address: "127.0.0.1", port: 9 }] })).body;
      const listener = await createListener({ defaultPoolId: pool.id });
      expect(listener.status, listener.text).toBe(201);
      expect(listener.body.defaultPoolId).toBe(pool.id);
      const other = await createListener({ name: "other" });
      expect(other.body.defaultPoolId).toBeNull();

      const used = await client.call("GET", `/api/v1/pools/${pool.id}`, { as: admin });
      expect(used.body.usedBy).toEqual([{ listenerId: listener.body.id, name: "web" }]);
      const patched = await client.call("PATCH", `/api/v1/listeners/${other.body.id}`, { as: admin, json: { defaultPoolId: pool.id } });
      expect(patched.body.defaultPoolId).toBe(pool.id);

      const refused = await client.call("DELETE", `/api/v1/pools/${pool.id}`, { as: admin });
      expectProblem(refused, 409);
      expect(refused.body.detail).toBe('Pool "app" is the default pool of listeners "other", "web"; pick another default pool for them (or none), then delete the pool.');

      // A pool of another load balancer, or none at all, is refused with the field named.
      const elsewhere = (await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "elsewhere" } })).body;
      const foreign = (await createPool({ name: "theirs" }, elsewhere.id)).body;
      const wrongLb = await client.call("PATCH", `/api/v1/listeners/${other.body.id}`, { as: admin, json: { defaultPoolId: foreign.id } });
      expectProblem(wrongLb, 422);
      expect(wrongLb.body.errors).toEqual([
        { field: "defaultPoolId", message: "The default pool belongs to another load balancer; pick a pool of this listener's load balancer, or none for the built-in echo." },
      ]);
      const missing = await createListener({ name: "third", defaultPoolId: "no-such-pool" });
      expectProblem(missing, 422);
      expect(missing.body.errors[0]).toEqual({
        field: "defaultPoolId",
        message: "The default pool does not exist; pick a pool of this load balancer, or none for the built-in echo.",
      });

      for (const id of [listener.body.id, other.body.id]) {
        expect((await client.call("PATCH", `/api/v1/listeners/${id}`, { as: admin, json: { defaultPoolId: null } })).body.defaultPoolId).toBeNull();
      }
      expect((await client.call("DELETE", `/api/v1/pools/${pool.id}`, { as: admin })).status).toBe(204);
    });

    it("answers a change once it is in force: the listener forwards to its pool, then to the pool's new member, then echoes again", async () => {
      const [blue, green] = [new RecordingBackend("blue"), new RecordingBackend("green")];
      try {
        const pool = (await createPool({ name: "app", members: [{ address: "127.0.0.1", port: await blue.start() }] })).body;
        const greenPort = await green.start();
        const listener = (await createListener()).body;
        expect(JSON.parse((await plainRequest(listener.port))!.body).listener.name).toBe("web");

        // No retry after each answer: when the API has answered, the data plane serves the change.
        await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { defaultPoolId: pool.id } });
        expect((await plainRequest(listener.port, "GET", "/a"))?.body).toBe("blue");
        await client.call("PATCH", `/api/v1/pools/${pool.id}`, { as: admin, json: { members: [{ address: "127.0.0.1", port: greenPort }] } });
        expect((await plainRequest(listener.port, "GET", "/b"))?.body).toBe("green");
        await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { defaultPoolId: null } });
        expect(JSON.parse((await plainRequest(listener.port))!.body).listener.name).toBe("web");
        expect([blue.received.map((r) => r.url), green.received.map((r) => r.url)]).toEqual([["/a"], ["/b"]]);
      } finally {
        await Promise.all([blue.stop(), green.stop()]);
      }
    });

    it("deletes a load balancer with its listeners and pools", async () => {
      const pool = (await createPool({ name: "app" })).body;
      const listener = (await createListener({ defaultPoolId: pool.id })).body;
      expect((await client.call("DELETE", `/api/v1/load-balancers/${loadBalancerId}`, { as: admin })).status).toBe(204);
      expectProblem(await client.call("GET", `/api/v1/pools/${pool.id}`, { as: admin }), 404);
      expectProblem(await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin }), 404);
      const events = await client.call("GET", `/api/v1/audit-events?targetType=pool&targetId=${pool.id}`, { as: admin });
      expect(events.body.items[0]).toMatchObject({ action: "pool.deleted", details: { reason: "load balancer deleted" } });
    });

    it("lets a viewer read pools and refuses their changes; an operator makes them", async () => {
      const pool = (await createPool({ name: "app" })).body;
      await createUser(client, admin, { username: "viewer", password: "viewer-password-1", role: "viewer" });
      await createUser(client, admin, { username: "operator", password: "operator-password-1", role: "operator" });
      const viewer = { cookie: await signIn(client, "viewer", "viewer-password-1") };
      const operator = { cookie: await signIn(client, "operator", "operator-password-1") };

      expect((await client.call("GET", `/api/v1/load-balancers/${loadBalancerId}/pools`, { as: viewer })).status).toBe(200);
      expect((await client.call("GET", `/api/v1/pools/${pool.id}`, { as: viewer })).status).toBe(200);
      expectProblem(await createPool({ name: "mine" }, loadBalancerId, viewer), 403, "forbidden_for_role");
      expectProblem(await client.call("PATCH", `/api/v1/pools/${pool.id}`, { as: viewer, json: { name: "x" } }), 403, "forbidden_for_role");
      expectProblem(await client.call("DELETE", `/api/v1/pools/${pool.id}`, { as: viewer }), 403, "forbidden_for_role");
      expectProblem(await client.call("GET", `/api/v1/pools/${pool.id}`), 401);

      expect((await createPool({ name: "ops" }, loadBalancerId, operator)).status).toBe(201);
      expect((await client.call("PATCH", `/api/v1/pools/${pool.id}`, { as: operator, json: { name: "renamed" } })).status).toBe(200);
      expect((await client.call("GET", `/api/v1/load-balancers/${loadBalancerId}/pools`, { as: admin })).body.items.map((p: { name: string }) => p.name)).toEqual([
        "ops",
        "renamed",
      ]);
    });

    it("records who created, changed and deleted a pool, with before and after, and bumps the config revision", async () => {
      const revision = async () => Number((await rt.store.db.selectFrom("meta").select("value").where("key", "=", "config_revision").executeTakeFirst())?.value ?? 0);
      const start = await revision();
      const pool = (await createPool({ name: "app", members: [{ address: "10.0.0.1", port: 80 }] })).body;
      await client.call("PATCH", `/api/v1/pools/${pool.id}`, { as: admin, json: { members: [{ address: "10.0.0.2", port: 80, weight: 5 }] } });
      // Saving what is saved already changes nothing: no event, no new version.
      const same = await client.call("PATCH", `/api/v1/pools/${pool.id}`, { as: admin, json: { members: [{ address: "10.0.0.2", port: 80, weight: 5 }] } });
      expect(same.body.version).toBe(2);
      await client.call("DELETE", `/api/v1/pools/${pool.id}`, { as: admin });
      expect(await revision()).toBe(start + 3);

      const events = (await client.call("GET", `/api/v1/audit-events?targetType=pool&targetId=${pool.id}`, { as: admin })).body.items;
      expect(events.map((e: { action: string }) => e.action)).toEqual(["pool.deleted", "pool.updated", "pool.created"]);
      expect(events[0]).toMatchObject({ actor: "admin", target: { type: "pool", id: pool.id, name: "app" } });
      expect(events[1].details).toMatchObject({
        before: { members: [{ address: "10.0.0.1", port: 80, weight: 1 }] },
        after: { members: [{ address: "10.0.0.2", port: 80, weight: 5 }] },
      });
      expect(events[2].details).toMatchObject({ loadBalancerId, after: { name: "app", algorithm: "round_robin", healthCheck: DEFAULT_HEALTH_CHECK } });
    });
  });
}
