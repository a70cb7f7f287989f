// POST/DELETE /api/v1/session through the real route handlers, on a real store (SQLite, and
// PostgreSQL when TEST_DATABASE_URL is set): the cookie, answers that never tell whether an account
// exists, and the slow-down for repeated failures (docs/api.md "Sign-in and sessions").
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, sessionCookieOf, signIn, useRuntime, type Answer } from "../../test/api";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { FREE_FAILURES_PER_ADDRESS, FREE_FAILURES_PER_USER } from "../auth/sign-in-throttle";
import type { Runtime } from "../services/runtime";

const NEW_PASSWORD = "viewer-password-1";

for (const target of storeTargets()) {
  describe(`sign-in on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    const attempt = (username: string, password: string, address = "192.0.2.10") =>
      client.call("POST", "/api/v1/session", { json: { username, password }, address });

    it("signs the first admin in with a session cookie that is HttpOnly and SameSite=Lax, and signs out", async () => {
      const answer = await attempt("admin", firstAdminPassword(rt));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ id: expect.any(String), username: "admin", role: "admin", authenticatedBy: "session" });
      const setCookie = answer.headers.get("set-cookie")!;
      expect(setCookie).toMatch(/^certgate_session=[^;]{40,};/);
      expect(setCookie.split("; ")).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${24 * 3600}`]));
      expect(setCookie).not.toContain("Secure"); // plain http here

      const cookie = sessionCookieOf(answer)!;
      const me = await client.call("GET", "/api/v1/me", { as: { cookie } });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: answer.body.id, username: "admin", role: "admin", authenticatedBy: "session" });

      const out = await client.call("DELETE", "/api/v1/session", { as: { cookie } });
      expect(out.status).toBe(204);
      expect(out.headers.get("set-cookie")).toMatch(/^certgate_session=; .*Max-Age=0/);
      expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie } }), 401, "session_expired");
    });

    it("ends a session after 480 idle minutes and 24 hours after sign-in, whatever its use", async () => {
      const idle = await signIn(client, "admin", firstAdminPassword(rt));
      const old = await signIn(client, "admin", firstAdminPassword(rt));
      const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
      // Time is moved in the store: the sessions were last seen (or made) that long ago.
      await rt.store.db.updateTable("sessions").set({ last_seen_at: minutesAgo(479) }).execute();
      expect((await client.call("GET", "/api/v1/me", { as: { cookie: idle } })).status).toBe(200);
      await rt.store.db.updateTable("sessions").set({ last_seen_at: minutesAgo(481) }).execute();
      expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie: idle } }), 401, "session_expired");
      expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie: old } }), 401, "session_expired");

      const fresh = await signIn(client, "admin", firstAdminPassword(rt));
      await rt.store.db.updateTable("sessions").set({ expires_at: minutesAgo(1), last_seen_at: minutesAgo(0) }).execute();
      expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie: fresh } }), 401, "session_expired");
    });

    it("marks the cookie Secure when the console is reached over HTTPS", async () => {
      const answer = await client.call("POST", "/api/v1/session", {
        json: { username: "admin", password: firstAdminPassword(rt) },
        headers: { "x-forwarded-proto": "https" },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("set-cookie")!.split("; ")).toContain("Secure");
    });

    it("answers a wrong password, an unknown user and a disabled user with the same 401", async () => {
      const admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const id = await createUser(client, admin, { username: "vera", password: NEW_PASSWORD, role: "viewer" });

      const wrong = await attempt("vera", "not-her-password");
      const unknown = await attempt("nobody-here", "not-her-password");
      expect((await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { disabled: true } })).status).toBe(200);
      const disabled = await attempt("vera", NEW_PASSWORD);
      for (const answer of [wrong, unknown, disabled]) {
        expectProblem(answer, 401, "wrong_credentials");
        expect(answer.headers.get("set-cookie")).toBeNull();
      }
      expect(unknown.text).toBe(wrong.text);
      expect(disabled.text).toBe(wrong.text);
      expect(wrong.body.detail).toBe("The username or password is not right; check both and try again.");
    });

    it("refuses a sign-in body that is not { username, password } with 422, and a non-JSON one with 415", async () => {
      expectProblem(await client.call("POST", "/api/v1/session", { json: { username: "admin" } }), 422);
      expectProblem(await client.call("POST", "/api/v1/session", { body: "username=admin&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
    });

    /** Fails until the throttle answers; the first FREE_FAILURES_PER_USER must be plain 401s. */
    async function failUntilThrottled(username: string, address: string): Promise<Answer> {
      for (let i = 0; i < FREE_FAILURES_PER_USER; i += 1) expectProblem(await attempt(username, "wrong-password", address), 401, "wrong_credentials");
      // The sixth comes within the first wait (1 s) unless the machine is very slow; each further
      // failure doubles the wait, so a later one is refused in any case.
      for (let i = 0; i < 4; i += 1) {
        const answer = await attempt(username, "wrong-password", address);
        if (answer.status === 429) return answer;
        expectProblem(answer, 401, "wrong_credentials");
      }
      throw new Error(`sign-in for ${username} was never slowed down`);
    }

    it("slows down a username after 5 failures with 429 and Retry-After, known or not, and a success clears the count", async () => {
      const known = await failUntilThrottled("admin", "192.0.2.20");
      expectProblem(known, 429, "sign_in_throttled");
      const wait = Number(known.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(known.body.detail).toMatch(new RegExp(`try again in ${wait} seconds`));

      const unknown = await failUntilThrottled("ghost", "192.0.2.21");
      expectProblem(unknown, 429, "sign_in_throttled");
      expect(Number(unknown.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(unknown.body.detail.replace(/\d+ seconds/, "N seconds")).toBe(known.body.detail.replace(/\d+ seconds/, "N seconds"));

      // Per username: another address does not help while the wait lasts.
      const elsewhere = await attempt("ghost", "wrong-password", "192.0.2.99");
      expectProblem(elsewhere, 429, "sign_in_throttled");

      // After the wait the right password works, and the username's count starts again from zero.
      const waitNow = Number((await attempt("admin", firstAdminPassword(rt), "192.0.2.20")).headers.get("retry-after") ?? "0");
      await new Promise((resolve) => setTimeout(resolve, waitNow * 1000 + 50));
      await signIn(client, "admin", firstAdminPassword(rt), "192.0.2.22");
      for (let i = 0; i < FREE_FAILURES_PER_USER; i += 1) expectProblem(await attempt("admin", "wrong-password", "192.0.2.23"), 401, "wrong_credentials");
    });

    it("counts attempts sent in parallel like attempts in a row: only 5 of 12 are tried", async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => attempt("admin", "wrong-password", "192.0.2.30")));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
      for (const answer of answers.filter((a) => a.status === 429)) expectProblem(answer, 429, "sign_in_throttled");
      const failed = await rt.store.db.selectFrom("audit_events").select("id").where("action", "=", "user.sign_in_failed").execute();
      expect(failed).toHaveLength(5);
    });

    it(`slows down an address after ${FREE_FAILURES_PER_ADDRESS} failures, whatever the usernames, and not other addresses`, async () => {
      const perName = FREE_FAILURES_PER_USER - 1;
      for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i += 1) {
        expectProblem(await attempt(`guess-${Math.floor(i / perName)}`, "wrong-password", "198.51.100.7"), 401, "wrong_credentials");
      }
      const throttled = await attempt("fresh-name", "wrong-password", "198.51.100.7");
      expectProblem(throttled, 429, "sign_in_throttled");
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // The right password from that address waits too; from another address it signs in.
      expectProblem(await attempt("admin", firstAdminPassword(rt), "198.51.100.7"), 429, "sign_in_throttled");
      await signIn(client, "admin", firstAdminPassword(rt), "198.51.100.8");
    });
  });
}
