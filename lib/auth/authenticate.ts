// The one function that decides who is calling (docs/design.md "Identity"): the API route wrapper,
// the server-action client and the pages all ask it. A request carries at most one kind of
// credential that counts:
// - on the API client-certificate port, the certificate the console server saw (and nothing else);
// - otherwise `Authorization: Bearer <token>`, or else the console's session cookie.
// Every request is decided against the store, so a revoked token, a removed binding, a disabled
// user or a signed-out session stop working on the very next request.
import "server-only";
import { AppError } from "../errors";
import { CLIENT_CERTIFICATE_HEADER } from "../http/console-request-guard";
import type { Runtime } from "../services/runtime";
import { findApiTokenWithUser, touchApiToken } from "../store/api-tokens-repo";
import { findSessionWithUser, touchSession } from "../store/sessions-repo";
import { findBindingWithUser } from "../store/user-certificates-repo";
import type { UserRow } from "../store/users-repo";
import type { Caller } from "./caller";
import { can, whyNot, type Permission, type Role } from "./roles";
import { digest, sameDigest } from "./secrets";
import { SESSION_COOKIE, sessionIsLive } from "./session-cookie";
import { parseToken } from "./token-format";

/** How often last-use times are written: often enough to read, rarely enough not to write per request. */
const TOUCH_AFTER_MS = 60_000;

export interface Credentials {
  /** CLIENT_CERTIFICATE_HEADER as the console server set it; null off the client-certificate port. */
  clientCertificate: string | null;
  authorization: string | null;
  sessionCookie: string | null;
}

export function credentialsOf(headers: Headers): Credentials {
  return {
    clientCertificate: headers.get(CLIENT_CERTIFICATE_HEADER),
    authorization: headers.get("authorization"),
    sessionCookie: readCookie(headers.get("cookie"), SESSION_COOKIE),
  };
}

/** The caller, or a 401 problem that says what is missing or wrong. */
export async function authenticate(rt: Runtime, credentials: Credentials, now = new Date()): Promise<Caller> {
  if (credentials.clientCertificate !== null) return byCertificate(rt, credentials.clientCertificate, now);
  if (credentials.authorization !== null) return byToken(rt, credentials.authorization, now);
  if (credentials.sessionCookie !== null) return bySession(rt, credentials.sessionCookie, now);
  throw unauthorized(
    "not_signed_in",
    "Sign in first: the console signs you in with a session cookie (POST /api/v1/session); scripts send Authorization: Bearer <API token> or call the client-certificate port.",
  );
}

/** authenticate, then the role check: 403 names what the role lacks. */
export async function authorize(rt: Runtime, credentials: Credentials, needs: Permission): Promise<Caller> {
  const caller = await authenticate(rt, credentials);
  assertCan(caller, needs);
  return caller;
}

export function assertCan(caller: Caller, needs: Permission): void {
  if (!can(caller.role, needs)) throw new AppError(403, whyNot(caller.role, needs), [], "about:blank", { reason: "forbidden_for_role" });
}

async function byCertificate(rt: Runtime, header: string, now: Date): Promise<Caller> {
  const fingerprint = /^sha256=([0-9a-f]{64})$/.exec(header)?.[1];
  if (!fingerprint) {
    throw unauthorizedCertificate("no_certificate", "No client certificate was presented; this port authenticates API users by the certificate bound to them (curl --cert your.crt --key your.key).");
  }
  const found = await findBindingWithUser(rt.store.db, fingerprint);
  const short = `${fingerprint.slice(0, 16)}…`;
  if (!found) {
    throw unauthorizedCertificate(
      "unknown_certificate",
      `Unknown certificate: no user has bound the certificate with SHA-256 ${short}; bind it on your user's Authentication tab, or check you sent the right one.`,
    );
  }
  const { binding, user } = found;
  if (user.disabled) throw unauthorizedCertificate("user_disabled", `The user ${user.username} is disabled; ask an admin to enable the user.`);
  if (!user.client_certificate_auth) {
    throw unauthorizedCertificate(
      "method_disabled",
      `Client certificate authentication is disabled for the user ${user.username}; turn it on in the user's Authentication tab.`,
    );
  }
  if (now.toISOString() > binding.not_after || now.toISOString() < binding.not_before) {
    throw unauthorizedCertificate(
      "certificate_expired",
      `The certificate bound to ${user.username} (SHA-256 ${short}) is outside its validity (${binding.not_before} to ${binding.not_after}); bind a current one.`,
    );
  }
  return callerOf(user, "certificate", { name: user.username, via: `certificate SHA-256 ${short}` });
}

async function byToken(rt: Runtime, authorization: string, now: Date): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    throw unauthorized("unsupported_authorization", "The Authorization header must be 'Bearer <API token>'; make a token on your user page under API tokens.");
  }
  const parsed = parseToken(match[1]);
  const found = parsed ? await findApiTokenWithUser(rt.store.db, parsed.id) : undefined;
  if (!parsed || !found || !sameDigest(digest(parsed.secret), found.token.secret_hash)) {
    throw unauthorized("invalid_token", "The API token is unknown or was revoked; make a new one on your user page under API tokens.");
  }
  const { token, user } = found;
  if (token.expires_at <= now.toISOString()) {
    throw unauthorized("token_expired", `The API token "${token.name}" expired at ${token.expires_at}; make a new one on your user page.`);
  }
  if (user.disabled) throw unauthorized("user_disabled", `The user ${user.username} is disabled; ask an admin to enable the user.`);
  if (!token.last_used_at || now.getTime() - Date.parse(token.last_used_at) > TOUCH_AFTER_MS) {
    await touchApiToken(rt.store.db, token.id, now.toISOString());
  }
  return callerOf(user, "token", { name: user.username, via: `token ${token.name}` });
}

async function bySession(rt: Runtime, cookie: string, now: Date): Promise<Caller> {
  const idHash = digest(cookie);
  const found = await findSessionWithUser(rt.store.db, idHash);
  if (!found || !sessionIsLive(found.session, rt.settings, now)) {
    throw unauthorized("session_expired", "Your session has ended (signed out, timed out, or revoked); sign in again.");
  }
  if (found.user.disabled) throw unauthorized("user_disabled", `The user ${found.user.username} is disabled; ask an admin to enable the user.`);
  if (now.getTime() - Date.parse(found.session.last_seen_at) > TOUCH_AFTER_MS) {
    await touchSession(rt.store.db, idHash, now.toISOString());
  }
  return { ...callerOf(found.user, "session", { name: found.user.username }), sessionIdHash: idHash, signedInAt: found.session.created_at };
}

function callerOf(user: UserRow, authenticatedBy: Caller["authenticatedBy"], actor: Caller["actor"]): Caller {
  return { userId: user.id, username: user.username, role: user.role as Role, authenticatedBy, actor };
}

function unauthorized(reason: string, detail: string): AppError {
  return new AppError(401, detail, [], "urn:certgate:problem:unauthenticated", {
    reason,
    headers: { "www-authenticate": 'Bearer realm="certgate"' },
  });
}

/** On the client-certificate port a token counts for nothing, so no WWW-Authenticate offers one. */
function unauthorizedCertificate(reason: string, detail: string): AppError {
  return new AppError(401, detail, [], "urn:certgate:problem:unauthenticated", { reason });
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim()) || null;
  }
  return null;
}

/** A malformed escape is just a value no session has (a 401), never an exception (a 500). */
function decodeCookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
