import type { z } from "zod";
import { AppError, type FieldError } from "../errors";

/** Validates input against a schema; a failure becomes a 422 naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: issue.path.join(".") || "body",
    message: issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}.` : issue.message,
  }));
  const first = errors[0];
  const detail = first.field === "body" ? first.message : `${first.field}: ${first.message}`;
  throw new AppError(422, detail, errors);
}
