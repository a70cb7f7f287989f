"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { IMPACT_HOURS, type ListenerView } from "@/components/data/api";
import { useReloadListener, useUpdateListener, type ListenerUpdate } from "@/components/data/mutations";
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
import { listenerEditFormSchema, portFromForm, type ClientAuthFormValues, type ListenerEditFormValues } from "@/lib/schemas/listeners";
import { ClientCaSettings, useClientAuthFields } from "./client-ca-settings";
import { DefaultPoolField } from "./default-pool-field";
import { formFieldFor } from "./field-names";
import { ImpactPreview, useImpactPreview } from "./impact-preview";
import { clientAuthPatchOf, impactBodyOf } from "./impact-text";
import { RefusalConfirmDialog, type RefusalCheck } from "./refusal-confirm-dialog";
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
  const clientAuth = clientAuthPatchOf(values, initial);
  if (clientAuth) patch.clientAuth = clientAuth;
  return patch;
}

/** A preview at most this old is trusted at Save; an older one is asked for again (clients keep connecting). */
const PREVIEW_FRESH_MS = 10_000;

/** A listener still refers to certificates it does not use (Client CA off): the dialog offers to clear them. */
const keepsChoices = (values: ListenerEditFormValues) => Boolean(values.caCertificateId) || values.trustedCertificateIds.length > 0;

/** Why the preview has nothing to judge yet: Client CA on with nothing to trust (the form says so at Save too). */
function incompleteReason(values: ClientAuthFormValues): string | null {
  if (values.clientAuthEnabled && !values.caCertificateId && values.trustedCertificateIds.length === 0) {
    return "Pick a CA certificate or a trusted client certificate to see which clients would be refused.";
  }
  return null;
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
  // Advanced Settings opens by itself when Client CA is on: that is what the user came to change.
  const [advancedOpen, setAdvancedOpen] = useState(listener.clientAuth.enabled);

  const certificates = useQuery({ ...queries.certificates(), enabled: https });
  const all = certificates.data?.items ?? [];
  const servers = all.filter((c) => c.kind === "server");

  const form = useForm<ListenerEditFormValues>({ resolver: zodResolver(listenerEditFormSchema), defaultValues: base.values });
  const problem = useServerProblem(form);
  const errors = form.formState.errors;
  const clientAuth = useClientAuthFields(form);
  const client = useQueryClient();

  // The live preview: the Client CA settings as they would be saved, judged once they settle.
  const previewBody = impactBodyOf(clientAuthPatchOf(clientAuth.fields.value, base.values));
  const incomplete = incompleteReason(clientAuth.fields.value);
  // Asked for only while Advanced Settings, where it shows, is open.
  const advancedShown = advancedOpen || clientAuth.hasError;
  const preview = useImpactPreview(listener.id, base.version, previewBody, https && advancedShown && !incomplete);
  // A save that would refuse clients seen lately, waiting for the user's answer.
  const [refusal, setRefusal] = useState<RefusalCheck | null>(null);
  const [checking, setChecking] = useState(false);

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

  /**
   * Save, after one more question when the change refuses clients seen in the window: judged on a
   * preview of exactly this PATCH (the one on show when it is that and recent, else asked for now).
   */
  async function save(values: ListenerEditFormValues) {
    const patch = patchOf(values, base.values, https);
    const update: ListenerUpdate = { expectedVersion: base.version, patch };
    if (!patch.clientAuth) {
      mutation.mutate(update);
      return;
    }
    setChecking(true);
    try {
      const body = impactBodyOf(patch.clientAuth as Record<string, unknown>);
      const impact = await client.fetchQuery({ ...queries.impact(listener.id, base.version, body), staleTime: PREVIEW_FRESH_MS });
      if (impact.wouldBeRefused.length > 0) setRefusal({ update, refused: impact.wouldBeRefused.length });
      else mutation.mutate(update);
    } catch (error) {
      // Invalid settings: the save gets the same answer, with each message on its field.
      if (error instanceof ProblemError && error.problem.status === 422) mutation.mutate(update);
      // Not known who it refuses: the user decides, told why.
      else setRefusal({ update, refused: null, error: error instanceof Error ? error.message : String(error) });
    } finally {
      setChecking(false);
    }
  }

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
      <form onSubmit={form.handleSubmit(save)} className="space-y-5" noValidate>
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
          open={advancedShown}
          onOpenChange={setAdvancedOpen}
        >
          {https ? (
            <>
              <ClientCaSettings
                idPrefix="edit"
                certificates={all}
                {...clientAuth.fields}
                showChoicesWhileDisabled={keepsChoices(base.values)}
              />
              <ImpactPreview id="edit-impact" query={preview.query} updating={preview.updating} blocked={incomplete} />
            </>
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
        <FormActions
          onCancel={() => onOpenChange(false)}
          submitLabel="Save"
          pendingLabel={checking ? "Checking who it refuses…" : "Saving…"}
          pending={checking || mutation.isPending}
          disabled={!form.formState.isDirty}
        />
      </form>
      <RefusalConfirmDialog
        check={refusal}
        hours={IMPACT_HOURS}
        onCancel={() => setRefusal(null)}
        onConfirm={(update) => {
          setRefusal(null);
          mutation.mutate(update);
        }}
      />
    </Dialog>
  );
}
