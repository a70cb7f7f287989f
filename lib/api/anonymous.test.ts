// Every /api/v1 route, found from the route files as Next finds them, refuses an anonymous caller with
// a 401 problem for every method it implements, and changes nothing; only POST /api/v1/session (the
// sign-in itself) is open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, expectProblem, servedRoutes, useRuntime } from "../../test/api";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

const OPEN = new Set(["POST /session"]);
/** Bodies a signed-in caller could send, so the 401 is not a side effect of a bad body. */
const BODY_OF: Record<string, unknown> = {
  "POST /load-balancers": { name: "edge" },
  "POST /users": { username: "mallory", password: "mallory-password", role: "admin" },
  "PATCH /users/{id}": { role: "admin" },
  "POST /tokens": { name: "ci", expiresInDays: 30 },
};

for (const target of storeTargets()) {
  describe(`an anonymous caller on ${target.name}`, () => {
    let rt: Runtime;
    const client = new ApiClient();
    beforeAll(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
    });
    afterAll(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    it("gets 401 problem+json from every route and method but POST /api/v1/session, and nothing is stored", async () => {
      const routes = await servedRoutes();
      expect(Object.keys(routes).length).toBeGreaterThanOrEqual(18); // the route files were found
      const eventsBefore = await rt.store.db.selectFrom("audit_events").select("id").execute();
      const usersBefore = await rt.store.db.selectFrom("users").select("id").execute();
      const refused: string[] = [];
      for (const [route, methods] of Object.entries(routes)) {
        for (const method of methods) {
          if (OPEN.has(`${method} ${route}`)) continue;
          const path = `/api/v1${route.replace("{[...path]}", "no/such/resource").replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000")}`;
          const body = BODY_OF[`${method} ${route}`] ?? (method === "GET" || method === "DELETE" ? undefined : {});
          const answer = await client.call(method, path, { json: body });
          expectProblem(answer, 401, "not_signed_in");
          expect(answer.body.type).toBe("urn:certgate:problem:unauthenticated");
          expect(answer.body.detail).toMatch(/^Sign in first/);
          expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="certgate"');
          refused.push(`${method} ${route}`);
        }
      }
      // The identity routes are among them, and every resource of the API before them.
      expect(refused).toEqual(
        expect.arrayContaining([
          "GET /me",
          "DELETE /session",
          "GET /users",
          "POST /users",
          "PATCH /users/{id}",
          "DELETE /users/{id}",
          "POST /users/{id}/client-certificates",
          "DELETE /users/{id}/client-certificates/{certId}",
          "POST /tokens",
          "DELETE /tokens/{id}",
          "GET /load-balancers",
          "POST /certificates",
          "PATCH /listeners/{id}",
          "GET /audit-events",
          "POST /audit-events/{id}/revert",
          "GET /openapi.json",
          "GET /{[...path]}",
        ]),
      );
      expect(await rt.store.db.selectFrom("audit_events").select("id").execute()).toEqual(eventsBefore);
      expect(await rt.store.db.selectFrom("users").select("id").execute()).toEqual(usersBefore);
    });

    it("gets the same 401 with a cookie, a token or an Authorization header that is not one", async () => {
      expectProblem(await client.call("GET", "/api/v1/load-balancers", { as: { cookie: "made-up" } }), 401, "session_expired");
      expectProblem(await client.call("GET", "/api/v1/load-balancers", { as: { bearer: "cgt.made.up" } }), 401, "invalid_token");
      expectProblem(await client.call("GET", "/api/v1/load-balancers", { as: { bearer: "not-a-certgate-token" } }), 401, "invalid_token");
      expectProblem(await client.call("GET", "/api/v1/load-balancers", { as: { authorization: "Basic YWRtaW46YWRtaW4=" } }), 401, "unsupported_authorization");
      // Whatever a browser or script sends in the cookie, it is an ended session, never a 500.
      for (const cookie of ["%zz", "%E0%A4%A", "a".repeat(5000), "\u00ff"]) {
        expectProblem(await client.call("GET", "/api/v1/me", { headers: { cookie: `certgate_session=${cookie}` } }), 401, "session_expired");
      }
      expectProblem(await client.call("GET", "/api/v1/me", { headers: { cookie: "certgate_session=; other=1" } }), 401, "not_signed_in");
    });
  });
}
