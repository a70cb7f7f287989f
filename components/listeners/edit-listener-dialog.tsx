"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { UploadCertificateDialog } from "@/components/certificates/upload-certificate-dialog";
import type { ListenerView } from "@/components/data/api";
import { useReloadListener, useUpdateListener } from "@/components/data/mutations";
import { ProblemError } from "@/components/data/problem";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { STALE_VERSION_TYPE } from "@/lib/errors";
import { listenerEditFormSchema, MAX_TRUSTED_CERTIFICATES, type ListenerEditFormValues } from "@/lib/schemas/listeners";
import { formFieldFor } from "./field-names";
import { TrustedCertificatesPicker } from "./trusted-certificates-picker";
import { FormActions } from "@/components/ui/form-actions";

function valuesOf(listener: ListenerView): ListenerEditFormValues {
  return {
    name: listener.name,
    certificateId: listener.certificateId ?? "",
    clientAuthEnabled: listener.clientAuth.enabled,
    caCertificateId: listener.clientAuth.caCertificateId ?? "",
    trustedCertificateIds: listener.clientAuth.trustedCertificateIds,
  };
}

/** Only what the user changed is sent, so a field someone else changed meanwhile is not reverted. */
function patchOf(values: ListenerEditFormValues, initial: ListenerEditFormValues, https: boolean) {
  const patch: Record<string, unknown> = {};
  if (values.name !== initial.name) patch.name = values.name;
  if (!https) return patch;
  if (values.certificateId !== initial.certificateId) patch.certificateId = values.certificateId || null;
  const clientAuth: Record<string, unknown> = {};
  if (values.clientAuthEnabled !== initial.clientAuthEnabled) clientAuth.enabled = values.clientAuthEnabled;
  if (values.caCertificateId !== initial.caCertificateId) clientAuth.caCertificateId = values.caCertificateId || null;
  if (values.trustedCertificateIds.join() !== initial.trustedCertificateIds.join()) clientAuth.trustedCertificateIds = values.trustedCertificateIds;
  if (Object.keys(clientAuth).length > 0) patch.clientAuth = clientAuth;
  return patch;
}

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
  const [uploading, setUploading] = useState(false);

  const certificates = useQuery({ ...queries.certificates(), enabled: https });
  const all = certificates.data?.items ?? [];
  const servers = all.filter((c) => c.kind === "server");
  const cas = all.filter((c) => c.kind === "ca");
  const clients = all.filter((c) => c.kind === "client");

  const form = useForm<ListenerEditFormValues>({ resolver: zodResolver(listenerEditFormSchema), defaultValues: base.values });
  const problem = useServerProblem(form);
  const errors = form.formState.errors;
  const enabled = useWatch({ control: form.control, name: "clientAuthEnabled" });

  const mutation = useUpdateListener(listener.id, {
    onSuccess: (saved) => {
      toast(`Listener ${saved.name} saved`);
      onOpenChange(false);
    },
    onError: (error) => {
      setStale(error instanceof ProblemError && error.problem.type === STALE_VERSION_TYPE);
      problem.showProblem(error, (field) => {
        const name = formFieldFor(field);
        return name === "port" || name === "protocol" ? null : name;
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
        <Field id="edit-name" label="Name" error={errors.name?.message}>
          <input id="edit-name" className={inputClass} autoComplete="off" {...describedBy("edit-name", errors.name?.message)} {...form.register("name")} />
        </Field>
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

        <section aria-labelledby="advanced-settings" className="space-y-4 rounded-md border border-slate-200 p-4 dark:border-slate-700">
          <h3 id="advanced-settings" className="text-base font-semibold">
            Advanced Settings
          </h3>
          {https ? (
            <>
              <div className="flex items-start gap-3">
                <Controller
                  control={form.control}
                  name="clientAuthEnabled"
                  render={({ field }) => (
                    <Checkbox id="edit-client-ca" checked={field.value} onCheckedChange={field.onChange} describedBy="edit-client-ca-hint" />
                  )}
                />
                <div>
                  <label htmlFor="edit-client-ca" className="text-sm font-medium">
                    Enable Client CA
                  </label>
                  <p id="edit-client-ca-hint" className="text-xs text-slate-600 dark:text-slate-400">
                    Clients must present a certificate issued by the chosen CA (mutual TLS). Others are refused in the TLS handshake.
                  </p>
                </div>
              </div>
              {enabled ? (
                <>
                  <Field
                    id="edit-client-ca-certificate"
                    label="Client CA certificate"
                    error={errors.caCertificateId?.message}
                    hint="Client certificates must chain to this CA."
                  >
                    <div className="flex flex-wrap gap-2">
                      {/* Controlled, so a CA uploaded from here is selected once its option renders. */}
                      <Controller
                        control={form.control}
                        name="caCertificateId"
                        render={({ field }) => (
                          <Select
                            id="edit-client-ca-certificate"
                            className="min-w-48 flex-1"
                            {...describedBy("edit-client-ca-certificate", errors.caCertificateId?.message, true)}
                            {...field}
                          >
                            <option value="">No CA (trusted client certificates only)</option>
                            {cas.map((c) => (
                              <option key={c.id} value={c.id}>
                                {c.name}
                              </option>
                            ))}
                          </Select>
                        )}
                      />
                      <Button onClick={() => setUploading(true)}>Upload new certificate</Button>
                    </div>
                  </Field>
                  <Controller
                    control={form.control}
                    name="trustedCertificateIds"
                    render={({ field }) => (
                      <TrustedCertificatesPicker
                        certificates={clients}
                        value={field.value}
                        onChange={field.onChange}
                        max={MAX_TRUSTED_CERTIFICATES}
                        error={errors.trustedCertificateIds?.message}
                      />
                    )}
                  />
                </>
              ) : null}
            </>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">HTTP listeners have no TLS settings. Client CA is available on HTTPS listeners.</p>
          )}
        </section>

        <FormError message={problem.formError}>
          {stale ? (
            <Button className="mt-2" onClick={reload}>
              Reload listener
            </Button>
          ) : null}
        </FormError>
        <FormActions onCancel={() => onOpenChange(false)} submitLabel="Save" pendingLabel="Saving…" pending={mutation.isPending} disabled={!form.formState.isDirty} />
      </form>
      <UploadCertificateDialog
        open={uploading}
        onOpenChange={setUploading}
        fixedKind="ca"
        onUploaded={(certificate) => {
          form.setValue("caCertificateId", certificate.id, { shouldDirty: true, shouldValidate: true });
        }}
      />
    </Dialog>
  );
}
