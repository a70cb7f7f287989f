"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteListenerAction } from "@/app/actions/listeners";
import { queryKeys, type ListenerView } from "@/components/data/api";
import { unwrap } from "@/components/data/problem";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";

export function DeleteListenerDialog({ listener, open, onOpenChange }: { listener: ListenerView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useMutation({
    mutationFn: async () => unwrap(await deleteListenerAction(listener.id)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.loadBalancer(listener.loadBalancerId) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.loadBalancers() });
      await queryClient.invalidateQueries({ queryKey: queryKeys.certificates() });
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
