import "server-only";
import { sql } from "kysely";
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
