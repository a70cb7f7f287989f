"use client";
import { useState } from "react";
import type { PoolView } from "@/components/data/api";
import { useDeletePool } from "@/components/data/mutations";
import { Dialog } from "@/components/ui/dialog";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";

export function DeletePoolDialog({ pool, open, onOpenChange }: { pool: PoolView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useDeletePool(pool.id, {
    onSuccess: () => {
      toast(`Pool ${pool.name} deleted`);
      onOpenChange(false);
    },
    // A pool in use: the server's 409 names the listeners to change first.
    onError: (e) => setError(e.message),
  });
  const close = (next: boolean) => {
    if (!next) setError("");
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={close} title="Delete pool" description={`Delete ${pool.name}? Its members and health check settings are removed.`}>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={() => close(false)} submitLabel="Delete pool" pendingLabel="Deleting…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
