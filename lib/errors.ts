// Expected failures of a use case. Route handlers turn them into RFC 9457 problem details,
// server actions into typed results; anything else is an unexpected error and is masked.

export interface FieldError {
  field: string;
  message: string;
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 421 | 422 | 429;

const TITLES: Record<ProblemStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  421: "Misdirected Request",
  422: "Unprocessable Content",
  429: "Too Many Requests",
};

/** What some problems carry beyond the detail: a machine-readable reason, response headers. */
export interface ProblemExtras {
  /** A stable code for scripts, e.g. `unknown_certificate` on a 401. */
  reason?: string;
  /** Headers the HTTP answer carries (WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
  /** A revert that would overwrite later changes: what it would overwrite, and the version it was compared with. */
  changedSince?: ChangedSince;
}

/** One setting a revert would overwrite: its value now, and the value the revert would restore. */
export interface Overwrite {
  /** The setting as the API names it, dotted: `clientAuth.caCertificateId`. */
  field: string;
  current: unknown;
  restored: unknown;
}

/** The 409 of a revert whose listener changed since: confirm with this version to overwrite exactly these. */
export interface ChangedSince {
  overwrites: Overwrite[];
  listenerVersion: number;
}

export class AppError extends Error {
  readonly status: ProblemStatus;
  readonly title: string;
  readonly errors: FieldError[];
  readonly type: string;
  readonly extras: ProblemExtras;

  /** `detail` is one sentence a person can act on; `errors` place it on form fields. */
  constructor(status: ProblemStatus, detail: string, errors: FieldError[] = [], type = "about:blank", extras: ProblemExtras = {}) {
    super(detail);
    this.extras = extras;
    this.name = "AppError";
    this.status = status;
    this.title = TITLES[status];
    this.errors = errors;
    this.type = type;
  }

  get detail(): string {
    return this.message;
  }
}

export const invalid = (detail: string, field?: string) =>
  new AppError(422, detail, field ? [{ field, message: detail }] : []);
export const notFound = (what: string) => new AppError(404, `${what} does not exist; it may have been deleted.`);
export const conflict = (detail: string, field?: string) =>
  new AppError(409, detail, field ? [{ field, message: detail }] : []);

/** Someone saved first: the client should reload before editing again. */
export const STALE_VERSION_TYPE = "urn:certgate:problem:stale-version";

/** The 409 for a save based on an old version of `what` ("listener", "pool"), now at `current`. */
export const staleVersion = (what: string, current: number) =>
  new AppError(
    409,
    `Someone else saved this ${what} first (it is now at version ${current}); reload it to see their change, then edit again.`,
    [],
    STALE_VERSION_TYPE,
  );

/** The serialisable shape both the API and the server actions hand to clients. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
  reason?: string;
  /** On a revert's 409 `changed_since`: the settings it would overwrite. */
  overwrites?: Overwrite[];
  /** On a revert's 409 `changed_since`: the listener's version those were read at. */
  listenerVersion?: number;
}

export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    const problem: Problem = { type: error.type, title: error.title, status: error.status, detail: error.detail, errors: error.errors };
    if (error.extras.reason) problem.reason = error.extras.reason;
    if (error.extras.changedSince) Object.assign(problem, error.extras.changedSince);
    return problem;
  }
  return {
    type: "about:blank",
    title: "Internal Server Error",
    status: 500,
    detail: "Something went wrong on the server; the change was not saved. Try again, and check the server log if it persists.",
    errors: [],
  };
}
