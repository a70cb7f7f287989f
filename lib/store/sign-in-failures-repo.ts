import "server-only";
import type { Db } from "./database";

export async function findFailures(db: Db, keys: string[]): Promise<{ key: string; failures: number; last_failure_at: string }[]> {
  if (keys.length === 0) return [];
  return db.selectFrom("sign_in_failures").selectAll().where("key", "in", keys).execute();
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

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("key", "=", key).execute();
}
