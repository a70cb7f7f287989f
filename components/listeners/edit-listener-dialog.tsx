"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { ListenerView } from "@/components/data/api";
import { useReloadListener, useUpdateListener } from "@/components/data/mutations";
import { ProblemError } from "@/components/data/problem";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Disclosure } from "@/components/ui/disclosure";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { STALE_VERSION_TYPE } from "@/lib/errors";
import { listenerEditFormSchema, portFromForm, type ListenerEditFormValues } from "@/lib/schemas/listeners";
import { ClientCaSettings, useClientAuthFields } from "./client-ca-settings";
import { DefaultPoolField } from "./default-pool-field";
import { formFieldFor } from "./field-names";
import { savedMessage } from "./node-summary";

function valuesOf(listener: ListenerView): ListenerEditFormValues {
  return {
    name: listener.name,
    port: String(listener.port),
    certificateId: listener.certificateId ?? "",
    defaultPoolId: listener.defaultPoolId ?? "",
    clientAuthEnabled: listener.clientAuth.enabled,
    clientAuthMode: listener.clientAuth.mode,
    caCertificateId: listener.clientAuth.caCertificateId ?? "",
    trustedCertificateIds: listener.clientAuth.trustedCertificateIds,
  };
}

/** Only what the user changed is sent, so a field someone else changed meanwhile is not reverted. */
function patchOf(values: ListenerEditFormValues, initial: ListenerEditFormValues, https: boolean) {
  const patch: Record<string, unknown> = {};
  if (values.name !== initial.name) patch.name = values.name;
  if (portFromForm(values.port) !== portFromForm(initial.port)) patch.port = portFromForm(values.port);
  if (values.defaultPoolId !== initial.defaultPoolId) patch.defaultPoolId = values.defaultPoolId || null;
  if (!https) return patch;
  if (values.certificateId !== initial.certificateId) patch.certificateId = values.certificateId || null;
  const clientAuth: Record<string, unknown> = {};
  if (values.clientAuthEnabled !== initial.clientAuthEnabled) clientAuth.enabled = values.clientAuthEnabled;
  if (values.clientAuthMode !== initial.clientAuthMode) clientAuth.mode = values.clientAuthMode;
  if (values.caCertificateId !== initial.caCertificateId) clientAuth.caCertificateId = values.caCertificateId || null;
  if (values.trustedCertificateIds.join() !== initial.trustedCertificateIds.join()) clientAuth.trustedCertificateIds = values.trustedCertificateIds;
  if (Object.keys(clientAuth).length > 0) patch.clientAuth = clientAuth;
  return patch;
}

/** A listener still refers to certificates it does not use (Client CA off): the dialog offers to clear them. */
const keepsChoices = (values: ListenerEditFormValues) => Boolean(values.caCertificateId) || values.trustedCertificateIds.length > 0;

export function EditListenerDialog({
  listener,
  open,
  onOpenChange,
}: {
  listener: ListenerView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const toast = useToast();
  const https = listener.protocol === "HTTPS";
  // The version and values the dialog was opened with; the table behind keeps polling.
  const [base, setBase] = useState(() => ({ version: listener.version, values: valuesOf(listener) }));
  const [stale, setStale] = useState(false);
  // Advanced Settings opens by itself when Client CA is on: that is what the user came to change.
  const [advancedOpen, setAdvancedOpen] = useState(listener.clientAuth.enabled);

  const certificates = useQuery({ ...queries.certificates(), enabled: https });
  const all = certificates.data?.items ?? [];
  const servers = all.filter((c) => c.kind === "server");

  const form = useForm<ListenerEditFormValues>({ resolver: zodResolver(listenerEditFormSchema), defaultValues: base.values });
  const problem = useServerProblem(form);
  const errors = form.formState.errors;
  const clientAuth = useClientAuthFields(form);

  const mutation = useUpdateListener(listener.id, {
    onSuccess: (saved) => {
      const message = savedMessage(`Listener ${saved.name} saved`, saved.endpoint);
      toast(message.title, message.tone);
      onOpenChange(false);
    },
    onError: (error) => {
      setStale(error instanceof ProblemError && error.problem.type === STALE_VERSION_TYPE);
      problem.showProblem(error, (field) => {
        const name = formFieldFor(field);
        return name === "protocol" ? null : name;
      });
    },
  });

  const reloadListener = useReloadListener(listener.id);
  async function reload() {
    const latest = await reloadListener();
    if (!latest) {
      problem.setFormError("This listener was deleted by someone else; close this dialog.");
      return;
    }
    const values = valuesOf(latest);
    setBase({ version: latest.version, values });
    form.reset(values);
    setStale(false);
    problem.setFormError("");
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Edit listener" description={`${listener.protocol} on port ${listener.port}`} wide>
      <form onSubmit={form.handleSubmit((values) => mutation.mutate({ expectedVersion: base.version, patch: patchOf(values, base.values, https) }))} className="space-y-5" noValidate>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_8rem]">
          <Field id="edit-name" label="Name" error={errors.name?.message}>
            <input id="edit-name" className={inputClass} autoComplete="off" {...describedBy("edit-name", errors.name?.message)} {...form.register("name")} />
          </Field>
          <Field id="edit-port" label="Port" error={errors.port?.message}>
            <input id="edit-port" inputMode="numeric" className={inputClass} autoComplete="off" {...describedBy("edit-port", errors.port?.message)} {...form.register("port")} />
          </Field>
        </div>
        {https ? (
          <Field id="edit-certificate" label="Server certificate" error={errors.certificateId?.message}>
            <Select id="edit-certificate" {...describedBy("edit-certificate", errors.certificateId?.message)} {...form.register("certificateId")}>
              {servers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <DefaultPoolField id="edit-default-pool" loadBalancerId={listener.loadBalancerId} error={errors.defaultPoolId?.message} registration={form.register("defaultPoolId")} />

        <Disclosure
          id="edit-advanced-settings"
          title="Advanced Settings"
          open={advancedOpen || clientAuth.hasError}
          onOpenChange={setAdvancedOpen}
        >
          {https ? (
            <ClientCaSettings
              idPrefix="edit"
              certificates={all}
              {...clientAuth.fields}
              showChoicesWhileDisabled={keepsChoices(base.values)}
            />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">HTTP listeners have no TLS settings. Client CA is available on HTTPS listeners.</p>
          )}
        </Disclosure>

        <FormError message={problem.formError}>
          {stale ? (
            <Button className="mt-2" onClick={reload}>
              Reload listener
            </Button>
          ) : null}
        </FormError>
        <FormActions onCancel={() => onOpenChange(false)} submitLabel="Save" pendingLabel="Saving…" pending={mutation.isPending} disabled={!form.formState.isDirty} />
      </form>
    </Dialog>
  );
}
