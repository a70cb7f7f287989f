// The slow-down for repeated failed sign-ins, per username and per address. Both counts apply to
// names that do not exist too, so the answer never tells whether an account exists.
//
// A few mistakes are free; after that each further attempt waits twice as long as the one before
// (1 s, 2 s, 4 s, … up to 15 minutes). Counts expire an hour after the last failure.

export const FREE_FAILURES_PER_USER = 5;
/** Higher than per user: a team behind one NAT address shares it. */
export const FREE_FAILURES_PER_ADDRESS = 20;
export const MAX_WAIT_SECONDS = 15 * 60;
export const FAILURE_MEMORY_MS = 60 * 60 * 1000;

export interface FailureCount {
  key: string;
  failures: number;
  last_failure_at: string;
}

export function userKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

export function addressKey(address: string): string {
  return `address:${address}`;
}

/** Seconds until another attempt is accepted, or 0 when it is accepted now. */
export function secondsToWait(counts: FailureCount[], now: Date): number {
  let wait = 0;
  for (const count of counts) {
    const lastAt = Date.parse(count.last_failure_at);
    if (now.getTime() - lastAt > FAILURE_MEMORY_MS) continue;
    const free = count.key.startsWith("address:") ? FREE_FAILURES_PER_ADDRESS : FREE_FAILURES_PER_USER;
    if (count.failures < free) continue;
    const delaySeconds = Math.min(2 ** (count.failures - free), MAX_WAIT_SECONDS);
    const remaining = Math.ceil((lastAt + delaySeconds * 1000 - now.getTime()) / 1000);
    wait = Math.max(wait, remaining);
  }
  return wait;
}
