"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useCreateListener } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Dialog } from "@/components/ui/dialog";
import { Disclosure } from "@/components/ui/disclosure";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { listenerCreateFormSchema, portFromForm, type ListenerCreateFormValues } from "@/lib/schemas/listeners";
import { ClientCaSettings, useClientAuthFields } from "./client-ca-settings";
import { DefaultPoolField } from "./default-pool-field";
import { formFieldFor } from "./field-names";
import { savedMessage } from "./node-summary";

const EMPTY: ListenerCreateFormValues = {
  name: "",
  protocol: "HTTPS",
  port: "443",
  certificateId: "",
  defaultPoolId: "",
  clientAuthEnabled: false,
  clientAuthMode: "required",
  caCertificateId: "",
  trustedCertificateIds: [],
};

/** The API's create body: an HTTPS listener carries its Client CA settings, an HTTP one none. */
function createBodyOf(values: ListenerCreateFormValues) {
  const https = values.protocol === "HTTPS";
  return {
    name: values.name,
    protocol: values.protocol,
    port: portFromForm(values.port),
    certificateId: https ? values.certificateId : null,
    defaultPoolId: values.defaultPoolId || null,
    ...(https
      ? {
          clientAuth: {
            enabled: values.clientAuthEnabled,
            mode: values.clientAuthMode,
            caCertificateId: values.caCertificateId || null,
            trustedCertificateIds: values.trustedCertificateIds,
          },
        }
      : {}),
  };
}

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
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const certificates = useQuery({ ...queries.certificates(), enabled: open });
  const all = certificates.data?.items ?? [];
  const form = useForm<ListenerCreateFormValues>({ resolver: zodResolver(listenerCreateFormSchema), defaultValues: EMPTY });
  const problem = useServerProblem(form);
  const protocol = useWatch({ control: form.control, name: "protocol" });
  const errors = form.formState.errors;
  const clientAuth = useClientAuthFields(form);

  const mutation = useCreateListener(loadBalancerId, {
    onSuccess: (listener) => {
      const message = savedMessage(`Listener ${listener.name} created`, listener.endpoint);
      toast(message.title, message.tone);
      close(false);
    },
    onError: (error) => problem.showProblem(error, formFieldFor),
  });

  const close = (next: boolean) => {
    if (!next) {
      problem.reset();
      setAdvancedOpen(false);
    }
    onOpenChange(next);
  };

  return (
    <Dialog open={open} onOpenChange={close} title="Create listener" wide>
      <form onSubmit={form.handleSubmit((values) => mutation.mutate(createBodyOf(values)))} className="space-y-4" noValidate>
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
        <DefaultPoolField
          id="listener-default-pool"
          loadBalancerId={loadBalancerId}
          error={errors.defaultPoolId?.message}
          registration={form.register("defaultPoolId")}
          enabled={open}
        />
        {protocol === "HTTPS" ? (
          <>
            <Field id="listener-certificate" label="Server certificate" error={errors.certificateId?.message} hint="The certificate this listener presents to clients.">
              <Select id="listener-certificate" {...describedBy("listener-certificate", errors.certificateId?.message, true)} {...form.register("certificateId")}>
                <option value="">Choose a server certificate</option>
                {all
                  .filter((c) => c.kind === "server")
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
              </Select>
            </Field>
            <Disclosure
              id="create-advanced-settings"
              title="Advanced Settings"
              open={advancedOpen || clientAuth.hasError}
              onOpenChange={setAdvancedOpen}
            >
              <ClientCaSettings
                idPrefix="create"
                certificates={all}
                {...clientAuth.fields}
                showChoicesWhileDisabled={false}
              />
            </Disclosure>
          </>
        ) : null}
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Create" pendingLabel="Creating…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}
