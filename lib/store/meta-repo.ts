import "server-only";
import type { Db } from "./database";
import { isUniqueViolation } from "./database";

/** Sets `key` only if nobody set it before; returns whether this call was the one that did. */
export async function claimMetaKey(db: Db, key: string, value: string): Promise<boolean> {
  try {
    await db.insertInto("meta").values({ key, value }).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
