import type { ReactNode } from "react";

/** A form-level message (one that belongs to no single field). */
export function FormError({ message, children }: { message: string; children?: ReactNode }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      <p>{message}</p>
      {children}
    </div>
  );
}
