import type { Problem } from "@/lib/errors";
import type { ActionResult } from "@/lib/actions/run-action";
import { sendToSignIn } from "./session-ended";

/** A failed request or action, carrying the server's problem details to the form. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "ProblemError";
  }
}

/** Server actions return results; react-query wants a throw on failure. */
export function unwrap<T>(result: ActionResult<T>): T {
  // An action answered 401: the session ended, so the change was not made; sign in and come back.
  if (!result.ok && result.problem.status === 401) sendToSignIn();
  if (!result.ok) throw new ProblemError(result.problem);
  return result.data;
}

/** Puts each field error on its form field; returns the message for the form as a whole. */
export function applyProblem(
  error: unknown,
  setFieldError: (field: string, message: string) => boolean,
): string {
  if (!(error instanceof ProblemError)) return "The console could not reach the server; check that certgate is running and try again.";
  let unplaced = false;
  for (const e of error.problem.errors) if (!setFieldError(e.field, e.message)) unplaced = true;
  return error.problem.errors.length === 0 || unplaced ? error.problem.detail : "";
}
