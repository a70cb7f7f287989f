// Console sign-in and sign-out. Sessions live in the store (so every console of a shared PostgreSQL
// knows them); the cookie holds a random secret whose SHA-256 is the row's key.
import type { Caller } from "../auth/caller";
import { decoyHash, verifyPassword } from "../auth/passwords";
import { digest, newSecret } from "../auth/secrets";
import { addressKey, FAILURE_MEMORY_MS, secondsToWait, userKey } from "../auth/sign-in-throttle";
import { AppError } from "../errors";
import { parseInput } from "../schemas/parse";
import { signInSchema } from "../schemas/identity";
import { recordAuditEvent } from "../store/audit-repo";
import { inTransaction } from "../store/database";
import { deleteExpiredSessions, deleteSession, insertSession } from "../store/sessions-repo";
import { clearFailures, forgiveFailure, lockFailures, recordFailure } from "../store/sign-in-failures-repo";
import { findUserByUsername, updateUserRow } from "../store/users-repo";
import { toUserView, type UserView } from "./users";
import type { Runtime } from "./runtime";

export interface SignedIn {
  /** The cookie's value: shown to the browser once, stored only as its SHA-256. */
  cookieValue: string;
  maxAgeSeconds: number;
  user: UserView;
}

const WRONG = "The username or password is not right; check both and try again.";

export async function signIn(rt: Runtime, input: unknown, address: string, now = new Date()): Promise<SignedIn> {
  const { username, password } = parseInput(signInSchema, input);
  const db = rt.store.db;
  const keys = [userKey(username), addressKey(address)];
  const at = now.toISOString();
  // The attempt is counted as a failure before its password is checked, in the transaction that
  // checks the wait: parallel attempts cannot all pass the check first. A right one is forgiven below.
  await inTransaction(db, async (trx) => {
    const wait = secondsToWait(await lockFailures(trx, keys, rt.store.dialect), now);
    if (wait > 0) {
      throw new AppError(429, `Too many failed sign-ins for this username or from this address; try again in ${wait} seconds.`, [], "about:blank", {
        reason: "sign_in_throttled",
        headers: { "retry-after": String(wait) },
      });
    }
    const resetBefore = new Date(now.getTime() - FAILURE_MEMORY_MS).toISOString();
    for (const key of keys) await recordFailure(trx, key, at, resetBefore);
  });
  const user = await findUserByUsername(db, username.trim());
  // An unknown name costs the same scrypt as a wrong password, so timing does not tell them apart.
  const passwordMatches = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user || !passwordMatches || user.disabled) {
    await recordAuditEvent(db, {
      actor: { name: "anonymous", via: `address ${address}` },
      action: "user.sign_in_failed",
      target: { type: "user", id: user?.id ?? "", name: (user?.username ?? username.trim()).slice(0, 64) },
      details: {},
    });
    // A disabled user hears the same as a wrong password: the answer must not confirm the account.
    throw new AppError(401, WRONG, [], "urn:certgate:problem:unauthenticated", { reason: "wrong_credentials" });
  }

  const cookieValue = newSecret();
  const maxAgeSeconds = rt.settings.sessionMaxHours * 3600;
  await inTransaction(db, async (trx) => {
    await clearFailures(trx, keys[0]);
    await forgiveFailure(trx, keys[1]);
    await insertSession(trx, {
      id_hash: digest(cookieValue),
      user_id: user.id,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + maxAgeSeconds * 1000).toISOString(),
    });
    await updateUserRow(trx, user.id, { last_sign_in_at: at });
    await recordAuditEvent(trx, {
      actor: { name: user.username, via: `address ${address}` },
      action: "user.signed_in",
      target: { type: "user", id: user.id, name: user.username },
      details: {},
    });
    // Housekeeping rides on sign-in: old sessions go without a timer.
    await deleteExpiredSessions(trx, at, new Date(now.getTime() - rt.settings.sessionIdleMinutes * 60_000).toISOString());
  });
  return { cookieValue, maxAgeSeconds, user: toUserView({ ...user, last_sign_in_at: at }) };
}

export async function signOut(rt: Runtime, caller: Caller): Promise<void> {
  if (!caller.sessionIdHash) return;
  await inTransaction(rt.store.db, async (trx) => {
    await deleteSession(trx, caller.sessionIdHash!);
    await recordAuditEvent(trx, {
      actor: caller.actor,
      action: "user.signed_out",
      target: { type: "user", id: caller.userId, name: caller.username },
      details: {},
    });
  });
}
