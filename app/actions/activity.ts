"use server";
import { runAction } from "@/lib/actions/run-action";
import { revertAuditEvent } from "@/lib/services/listener-revert";

/**
 * "Revert this change" in Activity. `expectedVersion` is the listener version whose later values the
 * dialog showed as overwritten (the 409's listenerVersion), so a confirmation covers exactly those.
 */
export async function revertChangeAction(eventId: string, confirmOverwrite: boolean, expectedVersion: number | null) {
  return runAction("operate", (rt, caller) => revertAuditEvent(rt, eventId, { confirmOverwrite }, expectedVersion, caller.actor));
}
