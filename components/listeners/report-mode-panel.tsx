"use client";
// Report mode's dashboard on the listener page: how many connections Required would have refused
// lately (the connection log's summary, refreshed like the log), and the one click that ends the
// dry run, after a look at whom Required would refuse.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { PermittedButton } from "@/components/auth/permitted-button";
import { IMPACT_HOURS, type ListenerView } from "@/components/data/api";
import { useUpdateListener } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { ImpactPreview, useImpactPreview } from "./impact-preview";
import { wouldRejectLine } from "./impact-text";
import { savedMessage } from "./node-summary";

/** The PATCH that ends report mode: everything else stays as it is. */
export const SWITCH_TO_REQUIRED = { clientAuth: { mode: "required" } } as const;

export function ReportModePanel({ listener }: { listener: ListenerView }) {
  // As often as the connection log below, so the count and the log's Would reject rows agree.
  const summary = useQuery({ ...queries.connectionSummary(listener.id), refetchInterval: 2_000 });
  const [switching, setSwitching] = useState(false);
  return (
    <section aria-labelledby="report-mode" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
      <h2 id="report-mode" className="text-lg font-semibold">
        Report only
      </h2>
      <p className="text-sm">Every client is let in. Connections Required would refuse are logged as Would reject, so you can see who a switch would lock out.</p>
      <p className="text-sm font-medium" id="report-mode-count">
        {summary.data
          ? wouldRejectLine(summary.data, IMPACT_HOURS)
          : summary.isError
            ? `The would-be refusals could not be counted: ${summary.error.message}`
            : "Counting would-be refusals…"}
      </p>
      <PermittedButton permission="operate" variant="primary" onClick={() => setSwitching(true)}>
        Switch to Required
      </PermittedButton>
      {switching ? <SwitchToRequiredDialog listener={listener} onClose={() => setSwitching(false)} /> : null}
    </section>
  );
}

/** Shows whom Required would refuse (the preview of exactly the PATCH it sends), then switches on confirm. */
function SwitchToRequiredDialog({ listener, onClose }: { listener: ListenerView; onClose: () => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const preview = useImpactPreview(listener.id, listener.version, SWITCH_TO_REQUIRED, true);
  const mutation = useUpdateListener(listener.id, {
    onSuccess: (saved) => {
      const message = savedMessage(`Listener ${saved.name} now refuses clients without a valid certificate`, saved.endpoint);
      toast(message.title, message.tone);
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title="Switch to Required"
      description={`From the next connection on, ${listener.name} refuses clients without a valid certificate.`}
      wide
    >
      <div className="space-y-4">
        <ImpactPreview id="switch-impact" query={preview.query} updating={preview.updating} />
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            // Red only when it locks someone out.
            variant={(preview.query.data?.wouldBeRefused.length ?? 0) > 0 ? "danger" : "primary"}
            disabled={mutation.isPending}
            onClick={() => mutation.mutate({ expectedVersion: listener.version, patch: SWITCH_TO_REQUIRED })}
          >
            {mutation.isPending ? "Switching…" : "Switch to Required"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
