"use client";
import { Checkbox as RadixCheckbox } from "radix-ui";

export function Checkbox({
  id,
  checked,
  onCheckedChange,
  disabled,
  describedBy,
}: {
  id: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  return (
    <RadixCheckbox.Root
      id={id}
      checked={checked}
      disabled={disabled}
      aria-describedby={describedBy}
      onCheckedChange={(value) => onCheckedChange(value === true)}
      className="flex h-5 w-5 shrink-0 items-center justify-center rounded border border-slate-400 bg-white data-[state=checked]:border-blue-700 data-[state=checked]:bg-blue-700 disabled:opacity-50 dark:border-slate-500 dark:bg-slate-800"
    >
      <RadixCheckbox.Indicator className="text-white">
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
      </RadixCheckbox.Indicator>
    </RadixCheckbox.Root>
  );
}
