// Expected failures of a use case. Route handlers turn them into RFC 9457 problem details,
// server actions into typed results; anything else is an unexpected error and is masked.

export interface FieldError {
  field: string;
  message: string;
}

export type ProblemStatus = 400 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 421 | 422;

const TITLES: Record<ProblemStatus, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  421: "Misdirected Request",
  422: "Unprocessable Content",
};

export class AppError extends Error {
  readonly status: ProblemStatus;
  readonly title: string;
  readonly errors: FieldError[];
  readonly type: string;

  /** `detail` is one sentence a person can act on; `errors` place it on form fields. */
  constructor(status: ProblemStatus, detail: string, errors: FieldError[] = [], type = "about:blank") {
    super(detail);
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

/** The serialisable shape both the API and the server actions hand to clients. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
}

export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    return { type: error.type, title: error.title, status: error.status, detail: error.detail, errors: error.errors };
  }
  return {
    type: "about:blank",
    title: "Internal Server Error",
    status: 500,
    detail: "Something went wrong on the server; the change was not saved. Try again, and check the server log if it persists.",
    errors: [],
  };
}
