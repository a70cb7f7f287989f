"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useForm, useWatch } from "react-hook-form";
import { useCreateListener } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { listenerCreateFormSchema, type ListenerCreateFormValues } from "@/lib/schemas/listeners";
import { formFieldFor } from "./field-names";
import { FormActions } from "@/components/ui/form-actions";

export function CreateListenerDialog({
  loadBalancerId,
  open,
  onOpenChange,
}: {
  loadBalancerId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const toast = useToast();
  const servers = useQuery({ ...queries.certificates("server"), enabled: open });
  const form = useForm<ListenerCreateFormValues>({
    resolver: zodResolver(listenerCreateFormSchema),
    defaultValues: { name: "", protocol: "HTTPS", port: "443", certificateId: "" },
  });
  const problem = useServerProblem(form);
  const protocol = useWatch({ control: form.control, name: "protocol" });
  const errors = form.formState.errors;

  const mutation = useCreateListener(loadBalancerId, {
    onSuccess: (listener) => {
      toast(`Listener ${listener.name} created`);
      close(false);
    },
    onError: (error) =>
      problem.showProblem(error, (field) => {
        const name = formFieldFor(field);
        return name === "name" || name === "protocol" || name === "port" || name === "certificateId" ? name : null;
      }),
  });

  const close = (next: boolean) => {
    if (!next) problem.reset();
    onOpenChange(next);
  };

  return (
    <Dialog open={open} onOpenChange={close} title="Create listener">
      <form onSubmit={form.handleSubmit((values: ListenerCreateFormValues) =>
          mutation.mutate({
            name: values.name,
            protocol: values.protocol,
            port: Number(values.port),
            certificateId: values.protocol === "HTTPS" ? values.certificateId : null,
          }),
        )} className="space-y-4" noValidate>
        <Field id="listener-name" label="Name" error={errors.name?.message}>
          <input id="listener-name" className={inputClass} autoComplete="off" {...describedBy("listener-name", errors.name?.message)} {...form.register("name")} />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field id="listener-protocol" label="Protocol" error={errors.protocol?.message}>
            <Select id="listener-protocol" {...form.register("protocol")}>
              <option value="HTTPS">HTTPS</option>
              <option value="HTTP">HTTP</option>
            </Select>
          </Field>
          <Field id="listener-port" label="Port" error={errors.port?.message}>
            <input
              id="listener-port"
              inputMode="numeric"
              className={inputClass}
              {...describedBy("listener-port", errors.port?.message)}
              {...form.register("port")}
            />
          </Field>
        </div>
        {protocol === "HTTPS" ? (
          <Field id="listener-certificate" label="Server certificate" error={errors.certificateId?.message} hint="The certificate this listener presents to clients.">
            <Select id="listener-certificate" {...describedBy("listener-certificate", errors.certificateId?.message, true)} {...form.register("certificateId")}>
              <option value="">Choose a server certificate</option>
              {servers.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Create" pendingLabel="Creating…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}
