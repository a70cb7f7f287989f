import "server-only";
import type { Db } from "./database";

type FailureRow = { key: string; failures: number; last_failure_at: string };

/**
 * The counts of `keys`, locked until the transaction ends: a sign-in checks and counts its attempt
 * under this lock, so attempts sent in parallel queue here instead of all passing the check before
 * any of them is counted. (SQLite's write transactions already run one at a time; PostgreSQL locks
 * the rows, which are made first so there is something to lock.)
 */
export async function lockFailures(db: Db, keys: string[], dialect: "sqlite" | "postgres"): Promise<FailureRow[]> {
  if (keys.length === 0) return [];
  if (dialect === "sqlite") return db.selectFrom("sign_in_failures").selectAll().where("key", "in", keys).execute();
  await db
    .insertInto("sign_in_failures")
    .values(keys.map((key) => ({ key, failures: 0, last_failure_at: "" })))
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const rows = await db.selectFrom("sign_in_failures").selectAll().where("key", "in", keys).orderBy("key").forUpdate().execute();
  return rows.filter((row) => row.failures > 0);
}

/** Counts one more failure; a count older than `resetBefore` starts again from one. */
export async function recordFailure(db: Db, key: string, at: string, resetBefore: string): Promise<void> {
  const existing = await db.selectFrom("sign_in_failures").selectAll().where("key", "=", key).executeTakeFirst();
  if (!existing) {
    await db.insertInto("sign_in_failures").values({ key, failures: 1, last_failure_at: at }).execute();
    return;
  }
  const failures = existing.last_failure_at < resetBefore ? 1 : existing.failures + 1;
  await db.updateTable("sign_in_failures").set({ failures, last_failure_at: at }).where("key", "=", key).execute();
}

/** Takes back one counted failure (an attempt counted before its password was checked, and right). */
export async function forgiveFailure(db: Db, key: string): Promise<void> {
  await db
    .updateTable("sign_in_failures")
    .set((eb) => ({ failures: eb("failures", "-", 1) }))
    .where("key", "=", key)
    .where("failures", ">", 0)
    .execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("key", "=", key).execute();
}
