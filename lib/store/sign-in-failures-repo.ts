import "server-only";
import { sql } from "kysely";
import type { Db } from "./database";

export async function findFailures(db: Db, keys: string[]): Promise<{ key: string; failures: number; last_failure_at: string }[]> {
  if (keys.length === 0) return [];
  return db.selectFrom("sign_in_failures").selectAll().where("key", "in", keys).execute();
}

/**
 * Counts one more failure; a count older than `resetBefore` starts again from one. One upsert, so two
 * consoles counting the same key at once both count.
 */
export async function recordFailure(db: Db, key: string, at: string, resetBefore: string): Promise<void> {
  await db
    .insertInto("sign_in_failures")
    .values({ key, failures: 1, last_failure_at: at })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: sql<number>`CASE WHEN sign_in_failures.last_failure_at < ${resetBefore} THEN 1 ELSE sign_in_failures.failures + 1 END`,
        last_failure_at: at,
      }),
    )
    .execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("key", "=", key).execute();
}
