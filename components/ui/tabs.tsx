"use client";
import { Tabs as RadixTabs } from "radix-ui";
import type { ReactNode } from "react";

export function Tabs({
  tabs,
  defaultValue,
  label = "Load balancer sections",
}: {
  tabs: { value: string; label: string; content: ReactNode }[];
  defaultValue: string;
  /** What the tab list is called for a screen reader. */
  label?: string;
}) {
  return (
    <RadixTabs.Root defaultValue={defaultValue}>
      <RadixTabs.List className="flex gap-1 border-b border-slate-200 dark:border-slate-700" aria-label={label}>
        {tabs.map((tab) => (
          <RadixTabs.Trigger
            key={tab.value}
            value={tab.value}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 data-[state=active]:border-blue-700 data-[state=active]:text-blue-800 dark:text-slate-300 dark:data-[state=active]:text-blue-300"
          >
            {tab.label}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {tabs.map((tab) => (
        <RadixTabs.Content key={tab.value} value={tab.value} className="pt-4">
          {tab.content}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}
