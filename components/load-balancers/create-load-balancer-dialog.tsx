"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { useCreateLoadBalancer } from "@/components/data/mutations";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { loadBalancerCreateSchema, resourceNameRule, type LoadBalancerCreateInput } from "@/lib/schemas/load-balancers";
import { FormActions } from "@/components/ui/form-actions";

export function CreateLoadBalancerDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const toast = useToast();
  const form = useForm<LoadBalancerCreateInput>({ resolver: zodResolver(loadBalancerCreateSchema), defaultValues: { name: "" }, mode: "onChange" });
  const problem = useServerProblem(form);
  const mutation = useCreateLoadBalancer({
    onSuccess: (lb) => {
      toast(`Load balancer ${lb.name} created`);
      close(false);
      router.push(`/load-balancers/${lb.id}`);
    },
    onError: (error) =>
      problem.showProblem(error, (field) => (field === "name" ? "name" : null)),
  });
  const close = (next: boolean) => {
    if (!next) problem.reset();
    onOpenChange(next);
  };
  const nameError = form.formState.errors.name?.message;

  return (
    <Dialog open={open} onOpenChange={close} title="Create load balancer">
      <form onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
        <Field id="lb-name" label="Name" error={nameError} hint={resourceNameRule}>
          <input id="lb-name" className={inputClass} autoComplete="off" {...describedBy("lb-name", nameError, true)} {...form.register("name")} />
        </Field>
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Create" pendingLabel="Creating…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}
