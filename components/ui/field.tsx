import type { ReactNode } from "react";

/**
 * A label, the control, and below it either the hint or the field's error: an error replaces
 * the hint, so a field never says the same thing twice and a screen reader hears one message.
 */
export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-800";

/** aria attributes that tie a control to what its Field shows below it: the error, else the hint. */
export function describedBy(id: string, error?: string, hint?: boolean) {
  const shown = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return { "aria-invalid": error ? true : undefined, "aria-describedby": shown } as const;
}
