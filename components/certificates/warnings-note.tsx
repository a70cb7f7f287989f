import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** Warnings that did not block an upload, kept in view (a region named "Warnings") until dismissed. */
export function WarningsNote({ title, warnings, onDismiss }: { title?: ReactNode; warnings: string[]; onDismiss?: () => void }) {
  if (warnings.length === 0) return null;
  return (
    <section aria-label="Warnings" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <div className="flex items-start justify-between gap-3">
        <p className="font-medium">{title ?? "Warnings"}</p>
        {onDismiss ? (
          <Button variant="ghost" onClick={onDismiss}>
            Dismiss
          </Button>
        ) : null}
      </div>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </section>
  );
}
