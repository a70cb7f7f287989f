"use client";
// A button for a change that some roles may not make. Allowed, it is a plain Button; refused, it is
// disabled and carries the reason as its accessible description (and as visible text with
// `showReason`), so a viewer learns why without hovering. The server refuses the change anyway.
import { useId, type ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import type { Permission } from "@/lib/auth/roles";
import { usePermission } from "./me";

export function PermittedButton({
  permission,
  showReason = false,
  disabled,
  ...props
}: ComponentProps<typeof Button> & { permission: Permission; showReason?: boolean }) {
  const { allowed, reason } = usePermission(permission);
  const reasonId = useId();
  if (allowed) return <Button disabled={disabled} {...props} />;
  return (
    <span className={`inline-flex flex-wrap items-center gap-2 ${props.className?.includes("ml-auto") ? "ml-auto" : ""}`}>
      <Button {...props} disabled aria-describedby={reasonId} title={reason ?? undefined} />
      <span id={reasonId} className={showReason ? "max-w-xs text-xs text-slate-600 dark:text-slate-400" : "sr-only"}>
        {reason}
      </span>
    </span>
  );
}
