// The one action client: every server action runs through it, so expected errors reach the
// form as typed problems (with field errors) and unexpected ones are logged and masked.
import { toProblem, type Problem } from "../errors";
import { getRuntime, type Runtime } from "../services/runtime";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/** Until sign-in exists every console change is made by "console". */
export const CONSOLE_ACTOR = "console";

export async function runAction<T>(work: (rt: Runtime) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work(await getRuntime()) };
  } catch (error) {
    const problem = toProblem(error);
    if (problem.status === 500) console.error("[certgate] unexpected error in server action:", (error as Error)?.stack ?? error);
    return { ok: false, problem };
  }
}
