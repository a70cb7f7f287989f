// Users: who can sign in, with which role (docs/api.md "Users"). Admins manage everyone; every user
// manages their own password and client-certificate sign-in. The last admin who can sign in can be
// neither demoted, disabled nor deleted, so the installation never locks itself out.
import crypto from "node:crypto";
import type { Caller } from "../auth/caller";
import { assertCan } from "../auth/authenticate";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { can } from "../auth/roles";
import { AppError, conflict, notFound } from "../errors";
import { parseInput } from "../schemas/parse";
import { userCreateSchema, userPatchSchema } from "../schemas/identity";
import { isUniqueViolation, type Db } from "../store/database";
import { deleteSessionsOfUser } from "../store/sessions-repo";
import {
  countActiveAdmins,
  deleteUserRow,
  findUser,
  findUserByUsername,
  insertUser,
  listUsers as listUserRows,
  updateUserRow,
  type UserRow,
} from "../store/users-repo";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";

export interface UserView {
  id: string;
  username: string;
  role: UserRow["role"];
  disabled: boolean;
  clientCertificateAuth: boolean;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled === 1,
    clientCertificateAuth: row.client_certificate_auth === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

/** Admins see every user; others only themselves (their own user page). */
export async function listUsers(rt: Runtime, caller: Caller): Promise<{ items: UserView[]; nextCursor: null }> {
  assertCan(caller, "administer");
  return { items: (await listUserRows(rt.store.db)).map(toUserView), nextCursor: null };
}

export async function getUser(rt: Runtime, caller: Caller, id: string): Promise<UserView> {
  return toUserView(await readableUser(rt.store.db, caller, id));
}

/** The user `id` if the caller may see it: themselves, or anyone for an admin. Others are a 404, as if absent. */
export async function readableUser(db: Db, caller: Caller, id: string): Promise<UserRow> {
  const row = caller.userId === id || can(caller.role, "administer") ? await findUser(db, id) : undefined;
  if (!row) throw notFound("This user");
  return row;
}

export async function createUser(rt: Runtime, caller: Caller, input: unknown): Promise<UserView> {
  assertCan(caller, "administer");
  const data = parseInput(userCreateSchema, input);
  const now = new Date().toISOString();
  const row: UserRow = {
    id: crypto.randomUUID(),
    username: data.username,
    username_key: data.username.toLowerCase(),
    password_hash: await hashPassword(data.password),
    role: data.role,
    disabled: data.disabled ? 1 : 0,
    client_certificate_auth: data.clientCertificateAuth ? 1 : 0,
    created_at: now,
    updated_at: now,
    last_sign_in_at: null,
  };
  try {
    await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
      if (await findUserByUsername(trx, data.username)) throw usernameTaken(data.username);
      await insertUser(trx, row);
      await audit({
        action: "user.created",
        target: { type: "user", id: row.id, name: row.username },
        details: { role: row.role, disabled: data.disabled ?? false },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(data.username);
    throw error;
  }
  return toUserView(row);
}

export async function updateUser(rt: Runtime, caller: Caller, id: string, input: unknown): Promise<UserView> {
  const patch = parseInput(userPatchSchema, input);
  const self = caller.userId === id;
  const admin = can(caller.role, "administer");
  if (!admin) {
    if (!self) throw notFound("This user");
    const adminOnly = (["username", "role", "disabled"] as const).filter((field) => patch[field] !== undefined);
    if (adminOnly.length > 0) {
      throw new AppError(403, `Only admins change ${adminOnly.join(", ")}; you can change your own password and client certificate sign-in.`, [], "about:blank", {
        reason: "forbidden_for_role",
      });
    }
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  try {
    const row = await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
      const before = await findUser(trx, id);
      if (!before) throw notFound("This user");
      if (self && patch.password !== undefined && (patch.currentPassword !== undefined || !signedInRecently(caller))) {
        // Someone at an unlocked screen, or holding a token, must not take the account over: the
        // current password, unless the session signed in with it minutes ago (as "sudo mode" does).
        if (!patch.currentPassword || !(await verifyPassword(patch.currentPassword, before.password_hash))) {
          throw new AppError(422, "The current password is not right; enter your current password to set a new one.", [
            { field: "currentPassword", message: "Enter your current password." },
          ]);
        }
      }
      const losesAdmin = before.role === "admin" && !before.disabled && ((patch.role && patch.role !== "admin") || patch.disabled === true);
      if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
        throw conflict(`${before.username} is the last admin who can sign in; make another user an admin first.`, patch.role ? "role" : "disabled");
      }
      if (patch.username && patch.username.toLowerCase() !== before.username_key) {
        if (await findUserByUsername(trx, patch.username)) throw usernameTaken(patch.username);
      }
      const changes: Partial<UserRow> = {};
      if (patch.username !== undefined && patch.username !== before.username) {
        changes.username = patch.username;
        changes.username_key = patch.username.toLowerCase();
      }
      if (patch.role !== undefined && patch.role !== before.role) changes.role = patch.role;
      if (patch.disabled !== undefined && Number(patch.disabled) !== before.disabled) changes.disabled = patch.disabled ? 1 : 0;
      if (patch.clientCertificateAuth !== undefined && Number(patch.clientCertificateAuth) !== before.client_certificate_auth) {
        changes.client_certificate_auth = patch.clientCertificateAuth ? 1 : 0;
      }
      if (passwordHash) changes.password_hash = passwordHash;
      if (Object.keys(changes).length === 0) return before;
      const after: UserRow = { ...before, ...changes, updated_at: new Date().toISOString() };
      await updateUserRow(trx, id, { ...changes, updated_at: after.updated_at });
      if (passwordHash || changes.disabled === 1) {
        // A new password or a disabled user ends every console session at once; a password change
        // keeps the session that made it, so the user is not thrown out by their own change.
        await deleteSessionsOfUser(trx, id, self && changes.disabled !== 1 ? caller.sessionIdHash : undefined);
      }
      const { password_hash: _hash, ...visible } = changes;
      await audit({
        action: passwordHash && Object.keys(visible).length === 0 ? "user.password_changed" : "user.updated",
        target: { type: "user", id, name: after.username },
        // Only what changed, before and after (Activity shows "field: old → new"); never the hash.
        details: { before: auditSnapshot(before, visible), after: auditSnapshot(after, visible), ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      return after;
    });
    return toUserView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(patch.username ?? "");
    throw error;
  }
}

export async function deleteUser(rt: Runtime, caller: Caller, id: string): Promise<void> {
  assertCan(caller, "administer");
  if (caller.userId === id) throw conflict("You can't delete yourself; ask another admin, or disable the account instead.");
  await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
    const before = await findUser(trx, id);
    if (!before) throw notFound("This user");
    if (before.role === "admin" && !before.disabled && (await countActiveAdmins(trx)) <= 1) {
      throw conflict(`${before.username} is the last admin who can sign in; make another user an admin first.`);
    }
    await deleteUserRow(trx, id);
    await audit({ action: "user.deleted", target: { type: "user", id, name: before.username }, details: { role: before.role } });
  });
}

/** A password change without the current password is accepted this long after a sign-in. */
export const RECENT_SIGN_IN_MS = 10 * 60 * 1000;

function signedInRecently(caller: Caller): boolean {
  return caller.authenticatedBy === "session" && caller.signedInAt !== undefined && Date.now() - Date.parse(caller.signedInAt) < RECENT_SIGN_IN_MS;
}

/** The user's audited fields that `changed` touches. */
function auditSnapshot(row: UserRow, changed: Partial<UserRow>): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  if ("username" in changed) snapshot.username = row.username;
  if ("role" in changed) snapshot.role = row.role;
  if ("disabled" in changed) snapshot.status = row.disabled ? "disabled" : "active";
  if ("client_certificate_auth" in changed) snapshot.clientCertificateAuth = row.client_certificate_auth === 1;
  return snapshot;
}

function usernameTaken(username: string): AppError {
  return conflict(`The username "${username}" is taken; choose another.`, "username");
}
