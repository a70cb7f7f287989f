// The messages between a console and the data plane process it runs as its child (embedded mode).
// The console nudges after each committed change instead of waiting for the next poll; the child
// answers with what it applied, so a save answers once its change is in force.
import type { EndpointStatus } from "../dataplane";
import type { MemberHealth } from "../dataplane/types";

/** Console → data plane: the store has a new revision; apply it now. */
export interface ReloadMessage {
  type: "reload";
}

/**
 * Data plane → console: the revision in force, every endpoint's state and the health of the members
 * of every pool a listener forwards to (by pool id, then memberKey), after each reload and heartbeat
 * and soon after a member's health changes.
 */
export interface AppliedMessage {
  type: "applied";
  revision: number;
  endpoints: Record<string, EndpointStatus>;
  pools: Record<string, Record<string, MemberHealth>>;
}

export function isReloadMessage(message: unknown): message is ReloadMessage {
  return (message as ReloadMessage | null)?.type === "reload";
}

export function isAppliedMessage(message: unknown): message is AppliedMessage {
  const m = message as AppliedMessage | null;
  return m?.type === "applied" && typeof m.revision === "number" && typeof m.endpoints === "object";
}
