import type { ReactNode } from "react";

/**
 * A section that expands and collapses: its heading is a button with aria-expanded. The
 * content stays mounted while closed (only hidden), so form fields inside keep their values.
 */
export function Disclosure({
  id,
  title,
  open,
  onOpenChange,
  children,
}: {
  id: string;
  title: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-md border border-slate-200 dark:border-slate-700">
      <h3 id={`${id}-heading`} className="text-base font-semibold">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-content`}
          onClick={() => onOpenChange(!open)}
          className="flex w-full items-center gap-2 rounded-md p-4 text-left hover:bg-slate-50 dark:hover:bg-slate-800"
        >
          <svg viewBox="0 0 16 16" aria-hidden="true" className={`h-4 w-4 shrink-0 transition-transform ${open ? "rotate-90" : ""}`}>
            <path d="M6 3l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          {title}
        </button>
      </h3>
      <div id={`${id}-content`} hidden={!open} className="space-y-4 px-4 pb-4">
        {children}
      </div>
    </section>
  );
}
