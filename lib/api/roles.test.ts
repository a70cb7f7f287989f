// What each role may do, through the real route handlers: a viewer reads and is refused every write
// with the role sentence; an operator changes load balancers, listeners and certificates but not
// users; an admin does everything. The resource routes come from the route files, so a new one is
// covered without editing this test.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, servedRoutes, signIn, useRuntime, type Credential } from "../../test/api";
import { identityCert, testCert } from "../../test/certs";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { RoutableMethod } from "./methods";
import type { Runtime } from "../services/runtime";

/** Routes about identity, whose rules are per caller rather than per role (tested in their own suites). */
const IDENTITY = /^\/(session|me|users|tokens)(\/|$)/;
const VIEWER_SENTENCE = "Your role (viewer) can only read; ask an admin for the operator role to change load balancers, listeners and certificates.";

for (const target of storeTargets()) {
  describe(`roles on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    /** An HTTP listener on a load balancer, a pool of it and a client certificate, made by the admin. */
    let fixture: { loadBalancerId: string; listenerId: string; certificateId: string; poolId: string };

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      const listener = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/listeners`, {
        as: admin,
        json: { name: "http", protocol: "HTTP", port: await freePort() },
      });
      const certificate = await client.call("POST", "/api/v1/certificates", {
        as: admin,
        json: { name: "partner", kind: "client", certificate: testCert("client.pem").toString() },
      });
      const pool = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/pools`, { as: admin, json: { name: "app" } });
      expect([lb.status, listener.status, certificate.status, pool.status]).toEqual([201, 201, 201, 201]);
      fixture = { loadBalancerId: lb.body.id, listenerId: listener.body.id, certificateId: certificate.body.id, poolId: pool.body.id };
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    async function as(role: "viewer" | "operator"): Promise<Credential> {
      const password = `${role}-password-1`;
      await createUser(client, admin, { username: `a-${role}`, password, role });
      return { cookie: await signIn(client, `a-${role}`, password) };
    }

    /** A path for the route with the fixture's ids in it. */
    function pathOf(route: string): string {
      const ids: Record<string, string> = { "load-balancers": fixture.loadBalancerId, listeners: fixture.listenerId, pools: fixture.poolId };
      const id = ids[route.split("/")[1]] ?? fixture.certificateId;
      return `/api/v1${route.replace("{id}", id)}`;
    }

    async function resourceRoutes(): Promise<[string, RoutableMethod[]][]> {
      const routes = Object.entries(await servedRoutes()).filter(([route]) => !IDENTITY.test(route) && !route.includes("[...path]"));
      expect(routes.length).toBeGreaterThanOrEqual(9);
      return routes;
    }

    it("lets a viewer read every resource and refuses every write with 403 and the role's sentence, changing nothing", async () => {
      const viewer = await as("viewer");
      const eventsBefore = (await rt.store.db.selectFrom("audit_events").select("id").execute()).length;
      const writes: string[] = [];
      for (const [route, methods] of await resourceRoutes()) {
        for (const method of methods) {
          const answer = await client.call(method, pathOf(route), { as: viewer, json: method === "GET" || method === "DELETE" ? undefined : {} });
          // The impact preview is a read that takes a body (the PATCH it previews; {} changes nothing).
          if (method === "GET" || route === "/listeners/{id}/impact") {
            expect(answer.status, `${method} ${route}: ${answer.text}`).toBe(200);
            continue;
          }
          expectProblem(answer, 403, "forbidden_for_role");
          expect(answer.body.detail).toBe(VIEWER_SENTENCE);
          writes.push(`${method} ${route}`);
        }
      }
      expect(writes).toEqual(
        expect.arrayContaining([
          "POST /load-balancers",
          "DELETE /load-balancers/{id}",
          "POST /load-balancers/{id}/listeners",
          "PATCH /listeners/{id}",
          "DELETE /listeners/{id}",
          "POST /load-balancers/{id}/pools",
          "PATCH /pools/{id}",
          "DELETE /pools/{id}",
          "POST /certificates",
          "DELETE /certificates/{id}",
          "POST /audit-events/{id}/revert",
        ]),
      );
      expect((await rt.store.db.selectFrom("audit_events").select("id").execute()).length).toBe(eventsBefore);
      // Users are for admins only.
      const users = await client.call("GET", "/api/v1/users", { as: viewer });
      expectProblem(users, 403, "forbidden_for_role");
      expect(users.body.detail).toBe("Only admins manage users; you are signed in as a viewer.");
    });

    it("lets an operator change load balancers, listeners and certificates, and refuses users with 403", async () => {
      const operator = await as("operator");
      await changeEverything(operator);
      for (const [method, path, json] of [
        ["GET", "/api/v1/users", undefined],
        ["POST", "/api/v1/users", { username: "sneaky", password: "sneaky-password", role: "admin" }],
        ["DELETE", "/api/v1/users/some-id", undefined],
      ] as const) {
        const answer = await client.call(method, path, { as: operator, json });
        expectProblem(answer, 403, "forbidden_for_role");
        expect(answer.body.detail).toBe("Only admins manage users; you are signed in as an operator.");
      }
      const { items } = (await client.call("GET", "/api/v1/users", { as: admin })).body;
      expect(items.map((u: { username: string }) => u.username)).not.toContain("sneaky");
    });

    it("lets an admin do everything, users included", async () => {
      await changeEverything(admin);
      const id = await createUser(client, admin, { username: "new-admin", password: "new-admin-password", role: "admin" });
      expect((await client.call("GET", "/api/v1/users", { as: admin })).status).toBe(200);
      expect((await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { role: "viewer" } })).body.role).toBe("viewer");
      expect((await client.call("DELETE", `/api/v1/users/${id}`, { as: admin })).status).toBe(204);
    });

    /** Every kind of write on load balancers, listeners and certificates, each answered as it should be. */
    async function changeEverything(caller: Credential) {
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: caller, json: { name: "mine" } });
      expect(lb.status, lb.text).toBe(201);
      const listener = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/listeners`, { as: caller, json: { name: "web", protocol: "HTTP", port: await freePort() } });
      expect(listener.status, listener.text).toBe(201);
      const renamed = await client.call("PATCH", `/api/v1/listeners/${listener.body.id}`, { as: caller, json: { name: "web-2" } });
      expect(renamed.status, renamed.text).toBe(200);
      const certificate = await client.call("POST", "/api/v1/certificates", {
        as: caller,
        json: { name: "api-user", kind: "client", certificate: identityCert("identity-client-1.pem").toString() },
      });
      expect(certificate.status, certificate.text).toBe(201);
      expect((await client.call("DELETE", `/api/v1/listeners/${listener.body.id}`, { as: caller })).status).toBe(204);
      expect((await client.call("DELETE", `/api/v1/certificates/${certificate.body.id}`, { as: caller })).status).toBe(204);
      expect((await client.call("DELETE", `/api/v1/load-balancers/${lb.body.id}`, { as: caller })).status).toBe(204);
      expect((await client.call("DELETE", `/api/v1/load-balancers/${fixture.loadBalancerId}`, { as: caller })).status).toBe(204);
    }
  });
}
