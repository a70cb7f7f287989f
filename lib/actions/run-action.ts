// The one action client: every server action runs through it. The caller is the console session
// (lib/auth/authenticate.ts, the same decision the API makes), checked for the action's permission;
// expected errors reach the form as typed problems (with field errors), unexpected ones are logged
// and masked.
import "server-only";
import { cookies } from "next/headers";
import { authorize } from "../auth/authenticate";
import type { Caller } from "../auth/caller";
import type { Permission } from "../auth/roles";
import { SESSION_COOKIE } from "../auth/session-cookie";
import { toProblem, type Problem } from "../errors";
import { getRuntime, type Runtime } from "../services/runtime";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; problem: Problem };

export async function runAction<T>(needs: Permission, work: (rt: Runtime, caller: Caller) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const rt = await getRuntime();
    // Actions come from the console only: its session cookie is the one credential they accept.
    const sessionCookie = (await cookies()).get(SESSION_COOKIE)?.value ?? null;
    const caller = await authorize(rt, { clientCertificate: null, authorization: null, sessionCookie }, needs);
    return { ok: true, data: await work(rt, caller) };
  } catch (error) {
    const problem = toProblem(error);
    if (problem.status === 500) console.error("[certgate] unexpected error in server action:", (error as Error)?.stack ?? error);
    return { ok: false, problem };
  }
}
