import type { ReactNode } from "react";

type Tone = "green" | "red" | "slate" | "amber" | "blue";
const tones: Record<Tone, string> = {
  green: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  red: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  slate: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  amber: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  blue: "bg-blue-100 text-blue-900 dark:bg-blue-900/40 dark:text-blue-200",
};

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}
