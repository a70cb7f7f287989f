import type { ReactNode } from "react";

// Below the `sm` breakpoint (640 px) a table becomes a stack of cards: each row a card, each cell a
// line led by its column's name (a Td's `label`), so a 375 px phone reads it without scrolling sideways.

export function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white max-sm:overflow-x-visible dark:border-slate-700 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm max-sm:block dark:divide-slate-700">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600 max-sm:sr-only dark:bg-slate-800 dark:text-slate-300">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block max-sm:[&>tr]:block max-sm:[&>tr]:py-2 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

/** `label` is the cell's column name, shown before the value on narrow screens. */
export function Td({ children, label, className = "" }: { children: ReactNode; label?: string; className?: string }) {
  return (
    <td
      data-label={label}
      className={`px-3 py-2 align-top max-sm:flex max-sm:gap-3 max-sm:py-1 max-sm:[overflow-wrap:anywhere] max-sm:data-label:before:w-28 max-sm:data-label:before:shrink-0 max-sm:data-label:before:font-medium max-sm:data-label:before:text-slate-600 max-sm:data-label:before:content-[attr(data-label)] dark:max-sm:data-label:before:text-slate-400 ${className}`}
    >
      {children}
    </td>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-6 text-center text-slate-600 max-sm:block dark:text-slate-400">
        {children}
      </td>
    </tr>
  );
}
