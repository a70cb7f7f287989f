// The console's session cookie and the rules of a session's life (idle timeout, absolute lifetime).
import type { Settings } from "../config";

export const SESSION_COOKIE = "certgate_session";

export interface SessionTimes {
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export function sessionIsLive(session: SessionTimes, settings: Pick<Settings, "sessionIdleMinutes">, now: Date): boolean {
  if (now.toISOString() >= session.expires_at) return false;
  return now.getTime() - Date.parse(session.last_seen_at) < settings.sessionIdleMinutes * 60_000;
}

/** The Set-Cookie value: HttpOnly and SameSite=Lax always, Secure when the console is served over HTTPS. */
export function sessionCookieHeader(value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader("", { maxAgeSeconds: 0, secure });
}
