// Users through the real route handlers: an admin creates, changes the role of, disables, resets the
// password of and deletes users; the last admin stays; a user changes their own password only with
// the current one; a password change or a disabled user ends sessions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

for (const target of storeTargets()) {
  describe(`users on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let adminId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      adminId = (await client.call("GET", "/api/v1/me", { as: admin })).body.id;
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    it("creates, lists, changes the role of, resets the password of and deletes a user, each in Activity", async () => {
      const created = await client.call("POST", "/api/v1/users", { as: admin, json: { username: "Carol", password: "carol-password", role: "viewer" } });
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe(`/api/v1/users/${created.body.id}`);
      expect(created.body).toEqual({
        id: expect.any(String),
        username: "Carol",
        role: "viewer",
        disabled: false,
        clientCertificateAuth: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        lastSignInAt: null,
      });
      const id = created.body.id;
      const list = await client.call("GET", "/api/v1/users", { as: admin });
      expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(["admin", "Carol"]);
      expect(list.body.nextCursor).toBeNull();

      // Sign-in compares usernames without case.
      const carolSession = await signIn(client, "carol", "carol-password");
      expect((await client.call("GET", `/api/v1/users/${id}`, { as: admin })).body.lastSignInAt).not.toBeNull();

      const promoted = await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { role: "operator" } });
      expect(promoted.status).toBe(200);
      expect(promoted.body.role).toBe("operator");
      expect((await client.call("GET", "/api/v1/me", { as: { cookie: carolSession } })).body.role).toBe("operator");

      // An admin resets another user's password without knowing the old one; the user's sessions end.
      expect((await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { password: "carol-new-password" } })).status).toBe(200);
      expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie: carolSession } }), 401, "session_expired");
      expectProblem(await client.call("POST", "/api/v1/session", { json: { username: "Carol", password: "carol-password" } }), 401, "wrong_credentials");
      await signIn(client, "Carol", "carol-new-password");

      expect((await client.call("DELETE", `/api/v1/users/${id}`, { as: admin })).status).toBe(204);
      expectProblem(await client.call("GET", `/api/v1/users/${id}`, { as: admin }), 404);
      expectProblem(await client.call("DELETE", `/api/v1/users/${id}`, { as: admin }), 404);

      const events = await client.call("GET", "/api/v1/audit-events?targetType=user", { as: admin });
      const actions = events.body.items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["user.created", "user.signed_in", "user.sign_in_failed", "user.updated", "user.password_changed", "user.deleted"]));
      const reset = events.body.items.find((e: { action: string }) => e.action === "user.password_changed");
      expect(reset).toMatchObject({ actor: "admin", actorVia: null, target: { type: "user", id, name: "Carol" } });
    });

    it("disabling a user ends all their sessions and sign-ins; enabling lets them sign in again", async () => {
      const id = await createUser(client, admin, { username: "dave", password: "dave-password", role: "operator" });
      const sessions = [await signIn(client, "dave", "dave-password"), await signIn(client, "dave", "dave-password")];
      const disabled = await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { disabled: true } });
      expect(disabled.body.disabled).toBe(true);
      for (const cookie of sessions) expectProblem(await client.call("GET", "/api/v1/me", { as: { cookie } }), 401, "session_expired");
      expectProblem(await client.call("POST", "/api/v1/session", { json: { username: "dave", password: "dave-password" } }), 401, "wrong_credentials");
      expect((await client.call("PATCH", `/api/v1/users/${id}`, { as: admin, json: { disabled: false } })).body.disabled).toBe(false);
      await signIn(client, "dave", "dave-password");
    });

    it("keeps the last admin: not demoted, not disabled, not deleted (409)", async () => {
      const demote = await client.call("PATCH", `/api/v1/users/${adminId}`, { as: admin, json: { role: "operator" } });
      expectProblem(demote, 409);
      expect(demote.body.detail).toBe("admin is the last admin who can sign in; make another user an admin first.");
      expect(demote.body.errors).toEqual([{ field: "role", message: demote.body.detail }]);
      expectProblem(await client.call("PATCH", `/api/v1/users/${adminId}`, { as: admin, json: { disabled: true } }), 409);
      expectProblem(await client.call("DELETE", `/api/v1/users/${adminId}`, { as: admin }), 409);
      expect((await client.call("GET", "/api/v1/me", { as: admin })).body.role).toBe("admin");

      // A second admin who is disabled does not count; once enabled, the first may step down.
      const second = await createUser(client, admin, { username: "erin", password: "erin-password", role: "admin" });
      expect((await client.call("PATCH", `/api/v1/users/${second}`, { as: admin, json: { disabled: true } })).status).toBe(200);
      expectProblem(await client.call("PATCH", `/api/v1/users/${adminId}`, { as: admin, json: { role: "viewer" } }), 409);
      expect((await client.call("PATCH", `/api/v1/users/${second}`, { as: admin, json: { disabled: false } })).status).toBe(200);
      expect((await client.call("PATCH", `/api/v1/users/${adminId}`, { as: admin, json: { role: "viewer" } })).body.role).toBe("viewer");
      // Now erin is the last admin, and the old admin (a viewer) cannot touch users any more.
      const erin = { cookie: await signIn(client, "erin", "erin-password") };
      expectProblem(await client.call("PATCH", `/api/v1/users/${second}`, { as: erin, json: { role: "operator" } }), 409);
      expectProblem(await client.call("DELETE", `/api/v1/users/${second}`, { as: admin }), 403, "forbidden_for_role");
    });

    it("lets a user change their own password with the current one (or within minutes of signing in), ending their other sessions", async () => {
      const id = await createUser(client, admin, { username: "frank", password: "frank-password", role: "viewer" });
      const here = { cookie: await signIn(client, "frank", "frank-password") };
      const elsewhere = { cookie: await signIn(client, "frank", "frank-password") };

      // Just signed in with it: the password was proven minutes ago ("sudo mode").
      const fresh = await client.call("PATCH", `/api/v1/users/${id}`, { as: here, json: { password: "frank-fresh-password" } });
      expect(fresh.status, fresh.text).toBe(200);
      expectProblem(await client.call("GET", "/api/v1/me", { as: elsewhere }), 401, "session_expired");

      // Later, at a screen left unlocked, the current password is asked for.
      await ageSessionsOf(id, 11 * 60_000);
      const missing = await client.call("PATCH", `/api/v1/users/${id}`, { as: here, json: { password: "frank-new-password" } });
      expectProblem(missing, 422);
      expect(missing.body.errors).toEqual([{ field: "currentPassword", message: "Enter your current password." }]);
      expectProblem(await client.call("PATCH", `/api/v1/users/${id}`, { as: here, json: { password: "frank-new-password", currentPassword: "not-it-at-all" } }), 422);
      const elsewhereAgain = { cookie: await signIn(client, "frank", "frank-fresh-password") };
      await ageSessionsOf(id, 11 * 60_000);

      const changed = await client.call("PATCH", `/api/v1/users/${id}`, { as: here, json: { password: "frank-new-password", currentPassword: "frank-fresh-password" } });
      expect(changed.status, changed.text).toBe(200);
      expect((await client.call("GET", "/api/v1/me", { as: here })).status).toBe(200);
      expectProblem(await client.call("GET", "/api/v1/me", { as: elsewhereAgain }), 401, "session_expired");
      await signIn(client, "frank", "frank-new-password");

      // A token is not a fresh sign-in: an admin changing their own password by token needs it too.
      const token = (await client.call("POST", "/api/v1/tokens", { as: admin, json: { name: "own", expiresInDays: 1 } })).body.token;
      expectProblem(await client.call("PATCH", `/api/v1/users/${adminId}`, { as: { bearer: token }, json: { password: "admin-new-password" } }), 422);
    });

    /** Moves the user's sessions' sign-in `ms` into the past (as if signed in that long ago). */
    async function ageSessionsOf(userId: string, ms: number) {
      await rt.store.db.updateTable("sessions").set({ created_at: new Date(Date.now() - ms).toISOString() }).where("user_id", "=", userId).execute();
    }

    it("lets a non-admin see and change only themselves, and not their role", async () => {
      const id = await createUser(client, admin, { username: "gina", password: "gina-password", role: "operator" });
      const gina = { cookie: await signIn(client, "gina", "gina-password") };
      expect((await client.call("GET", `/api/v1/users/${id}`, { as: gina })).body.username).toBe("gina");
      expectProblem(await client.call("GET", `/api/v1/users/${adminId}`, { as: gina }), 404);
      expectProblem(await client.call("PATCH", `/api/v1/users/${adminId}`, { as: gina, json: { clientCertificateAuth: true } }), 404);
      const promote = await client.call("PATCH", `/api/v1/users/${id}`, { as: gina, json: { role: "admin" } });
      expectProblem(promote, 403, "forbidden_for_role");
      expect(promote.body.detail).toMatch(/^Only admins change role/);
      expect((await client.call("PATCH", `/api/v1/users/${id}`, { as: gina, json: { clientCertificateAuth: true } })).body.clientCertificateAuth).toBe(true);
      expect((await client.call("GET", `/api/v1/users/${id}`, { as: gina })).body.role).toBe("operator");
    });

    it("keeps usernames unique without regard to case (409), and refuses bad input with 422", async () => {
      await createUser(client, admin, { username: "Heidi", password: "heidi-password", role: "viewer" });
      const again = await client.call("POST", "/api/v1/users", { as: admin, json: { username: "heidi", password: "heidi-password-2", role: "viewer" } });
      expectProblem(again, 409);
      expect(again.body.errors[0].field).toBe("username");
      const ivan = await createUser(client, admin, { username: "ivan", password: "ivan-password", role: "viewer" });
      expectProblem(await client.call("PATCH", `/api/v1/users/${ivan}`, { as: admin, json: { username: "HEIDI" } }), 409);
      expectProblem(await client.call("PATCH", `/api/v1/users/${ivan}`, { as: admin, json: { username: "ADMIN" } }), 409);

      for (const [json, field] of [
        [{ username: "", password: "long-enough", role: "viewer" }, "username"],
        [{ username: "has space", password: "long-enough", role: "viewer" }, "username"],
        [{ username: "judy", password: "short", role: "viewer" }, "password"],
        [{ username: "judy", password: "long-enough", role: "root" }, "role"],
        [{ username: "judy", password: "long-enough", role: "viewer", isAdmin: true }, undefined],
      ] as const) {
        const answer = await client.call("POST", "/api/v1/users", { as: admin, json });
        expectProblem(answer, 422);
        if (field) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const names = (await client.call("GET", "/api/v1/users", { as: admin })).body.items.map((u: { username: string }) => u.username);
      expect(names).toEqual(["admin", "Heidi", "ivan"]);
    });
  });
}
