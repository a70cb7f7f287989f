// Who is calling: decided once per request by lib/auth/authenticate.ts, then passed to the use case.
import type { Actor } from "../store/audit-repo";
import type { Role } from "./roles";

export type AuthenticatedBy = "session" | "token" | "certificate";

export interface Caller {
  userId: string;
  username: string;
  role: Role;
  authenticatedBy: AuthenticatedBy;
  /** How Activity names this caller's changes. */
  actor: Actor;
  /** The console session's stored id, so a password change can keep the session that made it. */
  sessionIdHash?: string;
  /** When the console session signed in: a fresh sign-in may change its own password without the current one. */
  signedInAt?: string;
}

/** What the API's GET /api/v1/me and the console's shell show. */
export interface Me {
  id: string;
  username: string;
  role: Role;
  authenticatedBy: AuthenticatedBy;
}

export function toMe(caller: Caller): Me {
  return { id: caller.userId, username: caller.username, role: caller.role, authenticatedBy: caller.authenticatedBy };
}
