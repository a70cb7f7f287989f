"use client";
// "Revert this change": says what the revert puts back, and when the listener changed again since,
// what it would overwrite (the server's 409 changed_since), asking once more before it does.
import { useState } from "react";
import type { AuditEventView } from "@/components/data/api";
import { useCertificateNames } from "@/components/data/certificates-by-id";
import { useRevertChange } from "@/components/data/mutations";
import { ProblemError } from "@/components/data/problem";
import { savedMessage } from "@/components/listeners/node-summary";
import { formatDateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { STALE_VERSION_TYPE, type ChangedSince } from "@/lib/errors";
import { actionLabel, certificateIdsInSettings, describeChange, describeSetting, type ChangeLine } from "./describe-change";

/** "Client CA enabled by admin on 2025-06-01 14:03 UTC": the event as the dialog and toasts name it. */
export function nameOfChange(event: { action: string; actor: string; at: string }): string {
  return `${actionLabel(event.action)} by ${event.actor} on ${formatDateTime(event.at)}`;
}

export function RevertChangeDialog({
  event,
  certificateName,
  open,
  onOpenChange,
}: {
  event: AuditEventView;
  certificateName: (id: string) => string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const toast = useToast();
  const [error, setError] = useState("");
  // Set by a 409 changed_since: what a confirmed revert overwrites, read at that listener version.
  const [changedSince, setChangedSince] = useState<ChangedSince | null>(null);
  const overwriteIds = certificateIdsInSettings((changedSince?.overwrites ?? []).map((o) => ({ field: o.field, values: [o.current, o.restored] })));
  const laterName = useCertificateNames(overwriteIds);
  const name = (id: string) => laterName(id) ?? certificateName(id);

  // The event read backwards: each setting from what it became to what it was.
  const restores = describeChange({ before: event.details.after, after: event.details.before }, name);
  const overwrites = (changedSince?.overwrites ?? []).map((o) => describeSetting(o.field, o.current, o.restored, name));

  const mutation = useRevertChange({
    onSuccess: (result) => {
      if (result.outcome === "unchanged") toast(result.detail);
      else {
        const message = savedMessage(`Reverted ${actionLabel(event.action)} on listener ${result.listener.name}`, result.listener.endpoint);
        toast(message.title, message.tone);
      }
      onOpenChange(false);
    },
    onError: (e) => {
      const problem = e instanceof ProblemError ? e.problem : null;
      if (problem?.reason === "changed_since" && problem.overwrites && problem.listenerVersion !== undefined) {
        setChangedSince({ overwrites: problem.overwrites, listenerVersion: problem.listenerVersion });
        setError("");
        return;
      }
      // Saved again after the overwrites were shown: what was confirmed is not what would be overwritten now.
      if (problem?.type === STALE_VERSION_TYPE) {
        setChangedSince(null);
        setError("The listener was changed again after this dialog showed what the revert would overwrite. Press Revert to see it as it is now.");
        return;
      }
      setError(e.message);
    },
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Revert this change"
      description={`Put back the settings listener ${event.target.name} had before this change (${nameOfChange(event)}). It is saved like an edit: in force on the endpoint when it is done.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate({ eventId: event.id, confirmOverwrite: changedSince !== null, expectedVersion: changedSince?.listenerVersion ?? null });
        }}
      >
        <Changes heading="This restores" lines={restores} />
        {changedSince ? (
          <div role="alert" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-medium">The listener has changed since. Reverting overwrites these later settings:</p>
            <ul className="space-y-0.5">
              {overwrites.map((line) => (
                <li key={line.label}>
                  <span className="font-medium">{line.label}:</span> now {line.before} → restored {line.after}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <FormError message={error} />
        <FormActions
          onCancel={() => onOpenChange(false)}
          submitLabel={changedSince ? "Overwrite and revert" : "Revert"}
          pendingLabel="Reverting…"
          pending={mutation.isPending}
          variant={changedSince ? "danger" : "primary"}
        />
      </form>
    </Dialog>
  );
}

function Changes({ heading, lines }: { heading: string; lines: ChangeLine[] }) {
  return (
    <section aria-label={heading} className="text-sm">
      <h3 className="font-medium">{heading}:</h3>
      <ul className="mt-1 space-y-0.5">
        {lines.map((line) => (
          <li key={line.label}>
            <span className="font-medium">{line.label}:</span> {line.before} → {line.after}
          </li>
        ))}
      </ul>
    </section>
  );
}
