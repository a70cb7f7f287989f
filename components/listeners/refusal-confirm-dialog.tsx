"use client";
import type { ListenerUpdate } from "@/components/data/mutations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { refusalQuestion } from "./impact-text";

/**
 * A save held back for one more question: it refuses `refused` clients seen lately, or (null, with
 * `error`) the console could not tell whom it refuses.
 */
export interface RefusalCheck {
  update: ListenerUpdate;
  refused: number | null;
  error?: string;
}

/** A message as a sentence of its own: ends with a full stop unless it has one. */
const sentence = (message: string) => (/[.!?]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`);

/**
 * The last question before a save that locks clients out. Buttons, not a form: it opens over the
 * Edit dialog's form, and a submit would bubble to that form through the portal.
 */
export function RefusalConfirmDialog({
  check,
  hours,
  onCancel,
  onConfirm,
}: {
  check: RefusalCheck | null;
  hours: number;
  onCancel: () => void;
  onConfirm: (update: ListenerUpdate) => void;
}) {
  const question =
    check?.refused != null
      ? refusalQuestion(check.refused, hours)
      : `The console could not check which clients this change refuses: ${sentence(check?.error ?? "the server did not answer")} Save anyway?`;
  return (
    <Dialog
      open={check !== null}
      onOpenChange={(open) => (open ? undefined : onCancel())}
      title={check?.refused != null ? "Refuse clients?" : "Save without a preview?"}
      description={question}
    >
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Back to editing</Button>
        <Button variant="danger" onClick={() => check && onConfirm(check.update)}>
          Save anyway
        </Button>
      </div>
    </Dialog>
  );
}
