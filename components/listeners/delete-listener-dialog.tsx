"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteListenerAction } from "@/app/actions/listeners";
import { queryKeys, type ListenerView } from "@/components/data/api";
import { unwrap } from "@/components/data/problem";
import { Button } from "@/components/ui/button";
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
      <FormError message={error} />
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        <Button variant="danger" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
          {mutation.isPending ? "Deleting…" : "Delete listener"}
        </Button>
      </div>
    </Dialog>
  );
}
