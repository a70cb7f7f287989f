"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { LoadBalancerView } from "@/components/data/api";
import { useDeleteLoadBalancer } from "@/components/data/mutations";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { FormActions } from "@/components/ui/form-actions";

/** Deleting stops every listener at once, so the operator types the name to confirm. */
export function DeleteLoadBalancerDialog({
  loadBalancer,
  open,
  onOpenChange,
}: {
  loadBalancer: LoadBalancerView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState("");
  const mutation = useDeleteLoadBalancer(loadBalancer.id, {
    onSuccess: () => {
      toast(`Load balancer ${loadBalancer.name} deleted`);
      onOpenChange(false);
      router.push("/load-balancers");
    },
    onError: (e) => setError(e.message),
  });
  const close = (next: boolean) => {
    if (!next) setTyped("");
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Delete load balancer"
      description={`This deletes ${loadBalancer.name} and its ${loadBalancer.listenerCount} listener(s); their endpoints stop serving at once.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === loadBalancer.name) mutation.mutate();
        }}
      >
        <Field id="confirm-lb-name" label={`Type ${loadBalancer.name} to confirm`}>
          <input id="confirm-lb-name" className={inputClass} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <FormError message={error} />
        <FormActions onCancel={() => close(false)} submitLabel="Delete load balancer" pendingLabel="Deleting…" pending={mutation.isPending} disabled={typed !== loadBalancer.name} variant="danger" />
      </form>
    </Dialog>
  );
}
