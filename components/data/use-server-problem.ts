"use client";
import { useState } from "react";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { applyProblem } from "./problem";

/**
 * A form's server-side errors: each field error onto its react-hook-form field (via
 * `fieldFor`, which maps API field paths to form fields), the rest as one form-level message.
 */
export function useServerProblem<T extends FieldValues>(form: UseFormReturn<T>) {
  const [formError, setFormError] = useState("");
  return {
    formError,
    setFormError,
    showProblem(error: unknown, fieldFor: (apiField: string) => Path<T> | null) {
      setFormError(
        applyProblem(error, (field, message) => {
          const name = fieldFor(field);
          if (!name) return false;
          form.setError(name, { message }, { shouldFocus: true });
          return true;
        }),
      );
    },
    /** Back to the values the dialog opened with, no messages. */
    reset() {
      form.reset();
      setFormError("");
    },
  };
}
