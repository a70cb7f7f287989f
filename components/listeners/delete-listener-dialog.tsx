"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ListenerView } from "@/components/data/api";
import { useDeleteListener } from "@/components/data/mutations";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";

export function DeleteListenerDialog({ listener, open, onOpenChange }: { listener: ListenerView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useDeleteListener(listener.id, {
    onSuccess: () => {
      toast(`Listener ${listener.name} deleted`);
      onOpenChange(false);
      router.push(`/load-balancers/${listener.loadBalancerId}`);
    },
    onError: (e) => setError(e.message),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Delete listener"
      description={`Delete ${listener.name}? Its endpoint ${listener.endpoint.url} stops serving at once; open connections are closed.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={() => onOpenChange(false)} submitLabel="Delete listener" pendingLabel="Deleting…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
