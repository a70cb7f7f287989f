"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { UserView } from "@/components/data/api";
import { useDeleteUser } from "@/components/data/mutations";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";

/** Deleting cannot be undone, so the admin types the username to confirm. */
export function DeleteUserDialog({ user, open, onOpenChange }: { user: UserView; open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const toast = useToast();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState("");
  const mutation = useDeleteUser(user.id, {
    onSuccess: () => {
      toast(`User ${user.username} deleted`);
      onOpenChange(false);
      router.push("/users");
    },
    onError: (e) => setError(e.message),
  });
  const close = (next: boolean) => {
    if (!next) {
      setTyped("");
      setError("");
    }
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Delete user"
      description={`This deletes ${user.username}: their sessions end and their API tokens and client certificates stop working at once.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === user.username) mutation.mutate();
        }}
      >
        <Field id="confirm-username" label={`Type ${user.username} to confirm`}>
          <input id="confirm-username" className={inputClass} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <FormError message={error} />
        <FormActions
          onCancel={() => close(false)}
          submitLabel="Delete user"
          pendingLabel="Deleting…"
          pending={mutation.isPending}
          disabled={typed !== user.username}
          variant="danger"
        />
      </form>
    </Dialog>
  );
}
