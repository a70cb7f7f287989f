// The one way a use case writes: its reads and writes and the audit events that describe them
// commit together or not at all, and a change to what the endpoints serve reaches them before
// the caller answers "Saved".
import { recordAuditEvent, type Actor, type AuditEventInput } from "../store/audit-repo";
import { inTransaction, type Db } from "../store/database";
import { bumpConfigRevision } from "../store/dataplane-state-repo";
import { syncDataplane } from "./dataplane-sync";
import type { Runtime } from "./runtime";

export interface Change {
  /** The transaction: every read that decides the change and every write of it goes through it. */
  readonly trx: Db;
  /** Records what happened, by the change's actor, in the change's transaction. */
  audit(event: Omit<AuditEventInput, "actor">): Promise<void>;
}

export interface ChangeScope {
  actor: Actor;
  /**
   * The change can alter what an endpoint serves (a listener, or a load balancer with its
   * listeners). Then, when it recorded an event (made a change), the config revision is bumped in
   * the same transaction, which tells a stand-alone data plane (`npm run dataplane`) to reload;
   * and after the commit the embedded data plane applies the store, even for a change that
   * changed nothing, so saving again retries a listener in error.
   */
  affectsEndpoints?: boolean;
}

export async function commitChange<T>(rt: Runtime, scope: ChangeScope, work: (change: Change) => Promise<T>): Promise<T> {
  const result = await inTransaction(rt.store.db, async (trx) => {
    let changed = false;
    const value = await work({
      trx,
      async audit(event) {
        changed = true;
        await recordAuditEvent(trx, { ...event, actor: scope.actor });
      },
    });
    if (changed && scope.affectsEndpoints) await bumpConfigRevision(trx);
    return value;
  });
  if (scope.affectsEndpoints) await syncDataplane(rt);
  return result;
}
