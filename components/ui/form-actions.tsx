import { Button } from "./button";

/** A dialog form's footer: Cancel, then the primary action at the bottom right. */
export function FormActions({
  onCancel,
  submitLabel,
  pendingLabel,
  pending,
  disabled = false,
  variant = "primary",
}: {
  onCancel: () => void;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  variant?: "primary" | "danger";
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant={variant} disabled={disabled || pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </div>
  );
}
