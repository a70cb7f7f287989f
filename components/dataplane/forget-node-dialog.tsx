"use client";
import { useState } from "react";
import { useForgetDataplaneNode } from "@/components/data/mutations";
import { Dialog } from "@/components/ui/dialog";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import type { NodeView } from "./format";

/** Removes a stopped or gone node's record; the server refuses (409) a node that came back up meanwhile. */
export function ForgetNodeDialog({ node, open, onOpenChange }: { node: NodeView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useForgetDataplaneNode({
    onSuccess: () => {
      toast(`Node ${node.id} forgotten`);
      onOpenChange(false);
    },
    onError: (e) => setError(e.message),
  });
  const close = (next: boolean) => {
    if (!next) setError("");
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Forget node"
      description={`Forget ${node.id} (${node.hostname}, ${node.address})? Its record leaves this page; if the node starts again it registers anew.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate(node.id);
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={() => close(false)} submitLabel="Forget node" pendingLabel="Forgetting…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
