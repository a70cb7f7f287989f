// "Revert this change" (Activity, POST /api/v1/audit-events/{id}/revert): puts back the settings a
// listener change replaced, through the listener's normal save path, so a revert is checked,
// audited and in force on the data plane exactly like a Save.
import { AppError, staleVersion, type Overwrite } from "../errors";
import { isRevertable, revertRequestSchema } from "../schemas/audit";
import { parseInput } from "../schemas/parse";
import { findAuditEvent, type Actor, type AuditEvent } from "../store/audit-repo";
import { listenerPatchSchema } from "../schemas/listeners";
import { saveListenerChange } from "./listeners";
import { isObject, planRevert } from "./revert-plan";
import type { Runtime } from "./runtime";
import { listenerSettings, type ListenerView } from "./views";

export interface RevertOutcome {
  listener: ListenerView;
  /** unchanged: the listener already had the settings from before the change; nothing was written. */
  outcome: "reverted" | "unchanged";
  detail: string;
}

/**
 * `input` is the request body (`confirmOverwrite`). `expectedVersion` (If-Match) is the listener's
 * version the caller last saw, such as the 409's `listenerVersion` it confirmed: a listener changed
 * again after that is not overwritten unseen.
 */
export async function revertAuditEvent(
  rt: Runtime,
  eventId: string,
  input: unknown,
  expectedVersion: number | null,
  actor: Actor,
): Promise<RevertOutcome> {
  const { confirmOverwrite = false } = parseInput(revertRequestSchema, input);
  const event = /^\d{1,15}$/.test(eventId) ? await findAuditEvent(rt.store.db, Number(eventId)) : undefined;
  if (!event) throw new AppError(404, "No audit event has this id; take the id from GET /api/v1/audit-events (the Activity page).");
  const { before, after } = revertableSettings(event);

  let unchanged = false;
  const listener = await saveListenerChange(
    rt,
    event.target.id,
    actor,
    // In the save's transaction: what the revert compares is what it overwrites.
    async (current) => {
      if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion("listener", current.version);
      const plan = planRevert(before, after, listenerSettings(current));
      if (plan.overwrites.length > 0 && !confirmOverwrite) throw changedSince(current.name, current.version, plan.overwrites);
      unchanged = plan.fields.length === 0;
      return {
        // Validated like any PATCH: a value the API no longer takes is a 422 naming the field.
        patch: parseInput(listenerPatchSchema, plan.patch),
        recordAs: { action: "listener.reverted", details: { revertedEvent: { id: String(event.id), action: event.action, at: event.at, actor: event.actor } } },
      };
    },
    () =>
      new AppError(409, `Listener "${event.target.name}" has been deleted since this change, so there is nothing to revert.`, [], "about:blank", {
        reason: "listener_deleted",
      }),
  );
  if (unchanged) {
    return {
      listener,
      outcome: "unchanged",
      detail: `Listener "${listener.name}" already has the settings it had before this change; nothing was changed.`,
    };
  }
  return {
    listener,
    outcome: "reverted",
    detail: `Reverted the change ${event.actor} made on ${event.at}: listener "${listener.name}" has its settings from before it again.`,
  };
}

function changedSince(name: string, version: number, overwrites: Overwrite[]): AppError {
  const fields = overwrites.map((o) => o.field).join(", ");
  return new AppError(
    409,
    `Listener "${name}" has changed since this change: reverting it would overwrite ${fields}. Revert with confirmOverwrite (and If-Match "${version}") to overwrite them, or leave the listener as it is.`,
    [],
    "about:blank",
    { reason: "changed_since", changedSince: { overwrites, listenerVersion: version } },
  );
}

function revertableSettings(event: AuditEvent): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const { before, after } = event.details;
  if (event.target.type !== "listener" || !isRevertable(event.action) || !isObject(before) || !isObject(after)) {
    throw new AppError(422, `Only changes to a listener's settings can be reverted; ${whatItIs(event)}.`, [], "about:blank", { reason: "not_revertable" });
  }
  return { before, after };
}

function whatItIs(event: AuditEvent): string {
  if (event.action === "listener.created") return `this event created listener "${event.target.name}" (delete the listener to undo it)`;
  if (event.action === "listener.deleted") return `this event deleted listener "${event.target.name}" (create it again to undo it)`;
  return `this event is ${event.action} on ${event.target.type.replace("_", " ")} "${event.target.name}"`;
}
