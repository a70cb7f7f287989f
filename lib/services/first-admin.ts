// First start: with no users at all, an `admin` user is made so someone can sign in. Its password is
// CERTGATE_ADMIN_PASSWORD when set (automation); otherwise a strong random one is written once to
// DATA_DIR/initial-admin-password (mode 0600). The log says where, never the password.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { generatePassword, hashPassword } from "../auth/passwords";
import { isUniqueViolation, inTransaction } from "../store/database";
import { recordAuditEvent } from "../store/audit-repo";
import { countUsers, insertUser } from "../store/users-repo";
import type { Runtime } from "./runtime";

export const FIRST_ADMIN = "admin";
export const INITIAL_PASSWORD_FILE = "initial-admin-password";

export async function ensureFirstAdmin(rt: Runtime, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  if ((await countUsers(rt.store.db)) > 0) return;
  const fromEnv = env.CERTGATE_ADMIN_PASSWORD;
  const password = fromEnv || generatePassword();
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  try {
    await inTransaction(rt.store.db, async (trx) => {
      await insertUser(trx, {
        id,
        username: FIRST_ADMIN,
        username_key: FIRST_ADMIN,
        password_hash: await hashPassword(password),
        role: "admin",
        disabled: 0,
        client_certificate_auth: 0,
        created_at: now,
        updated_at: now,
        last_sign_in_at: null,
      });
      await recordAuditEvent(trx, {
        actor: { name: "system", via: "first start" },
        action: "user.created",
        target: { type: "user", id, name: FIRST_ADMIN },
        details: { role: "admin", passwordFrom: fromEnv ? "CERTGATE_ADMIN_PASSWORD" : INITIAL_PASSWORD_FILE },
      });
    });
  } catch (error) {
    // Another console on the same PostgreSQL made it first.
    if (isUniqueViolation(error)) return;
    throw error;
  }
  if (fromEnv) {
    log(`created the first user "${FIRST_ADMIN}" with the password in CERTGATE_ADMIN_PASSWORD; sign in and add your team under Users`);
    return;
  }
  const file = path.join(rt.settings.dataDir, INITIAL_PASSWORD_FILE);
  fs.mkdirSync(rt.settings.dataDir, { recursive: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  log(`created the first user "${FIRST_ADMIN}"; its password is in ${file} (readable by this account only). Sign in, change it, then delete the file.`);
}
