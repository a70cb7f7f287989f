// Typed rejections. Internals throw PkiError; the public entry points turn every throw into a
// PkiProblem, so nothing a user uploads can surface as an exception or a stack trace.
import type { PkiField, PkiProblem, PkiResult } from "./types";

export class PkiError extends Error {
  constructor(readonly problem: PkiProblem) {
    super(problem.message);
    this.name = "PkiError";
  }
}

export function reject(field: PkiField, code: string, message: string): never {
  throw new PkiError({ field, code, message, status: code === "too_large" ? 413 : 422 });
}

/** Runs `fn`, returning its value or the problem it threw; anything unexpected becomes "malformed". */
export function guard<T>(field: PkiField, fn: () => T): PkiResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof PkiError) return { ok: false, problem: err.problem };
    return {
      ok: false,
      problem: {
        field,
        code: "malformed",
        message:
          field === "crl"
            ? "The CRL could not be read; check that the file is an X.509 CRL in PEM or DER form and upload it again."
            : "The certificate could not be read; check that the file is an X.509 certificate in PEM or DER form and upload it again.",
        status: 422,
      },
    };
  }
}

/** "This certificate" for a single one, "Certificate 2 of 3 (CN=...)" inside a bundle. */
export function which(index: number, total: number, subject?: string): string {
  if (total === 1) return "This certificate";
  const short = subject && subject.length > 80 ? `${subject.slice(0, 77)}...` : subject;
  return `Certificate ${index + 1} of ${total}${short ? ` (${short})` : ""}`;
}

/** A date as a person reads it in a message: 2021-01-01. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
