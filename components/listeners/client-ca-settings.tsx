"use client";
import { useState } from "react";
import { useWatch, type FieldValues, type Path, type PathValue, type UseFormReturn } from "react-hook-form";
import { UploadCertificateDialog } from "@/components/certificates/upload-certificate-dialog";
import type { CertificateView } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { describedBy, Field } from "@/components/ui/field";
import { SearchInput } from "@/components/ui/search-input";
import { Select } from "@/components/ui/select";
import { MAX_TRUSTED_CERTIFICATES, type ClientAuthFormValues } from "@/lib/schemas/listeners";
import { caChoices } from "./certificate-choices";
import { ClientAuthModeChoice } from "./client-auth-mode-choice";
import { FILTER_FROM, TrustedCertificatesPicker } from "./trusted-certificates-picker";

type ClientAuthChange = <K extends Path<ClientAuthFormValues>>(field: K, value: PathValue<ClientAuthFormValues, K>) => void;

/**
 * Binds ClientCaSettings to a dialog's form; both dialogs' values include ClientAuthFormValues.
 * react-hook-form cannot type a field path shared by two form shapes, hence the one cast here.
 */
export function useClientAuthFields<T extends FieldValues & ClientAuthFormValues>(typedForm: UseFormReturn<T>) {
  const form = typedForm as unknown as UseFormReturn<ClientAuthFormValues>;
  const [clientAuthEnabled, clientAuthMode, caCertificateId, trustedCertificateIds] = useWatch({
    control: form.control,
    name: ["clientAuthEnabled", "clientAuthMode", "caCertificateId", "trustedCertificateIds"],
  });
  const errors = { caCertificateId: form.formState.errors.caCertificateId?.message, trustedCertificateIds: form.formState.errors.trustedCertificateIds?.message };
  return {
    /** Spread onto ClientCaSettings. */
    fields: {
      value: { clientAuthEnabled, clientAuthMode, caCertificateId, trustedCertificateIds },
      errors,
      onChange: ((field, value) => form.setValue(field, value, { shouldDirty: true, shouldValidate: form.formState.isSubmitted })) as ClientAuthChange,
    },
    /** An error inside Advanced Settings: the section opens so it is seen. */
    hasError: Boolean(errors.caCertificateId || errors.trustedCertificateIds),
  };
}

/** What the CA picker's helper text says for each choice: never "must chain to" without a CA. */
export function caHint(enabled: boolean, ca: CertificateView | undefined): string {
  if (enabled && ca) return `Client certificates must chain to ${ca.name}.`;
  if (enabled) return "None: no CA is used; only the trusted client certificates below are let in.";
  if (ca) return `Client CA is off, so ${ca.name} is not used; it is kept for when Client CA is turned on again and counts as in use. Choose None to release it.`;
  return "Client CA is off and no CA is kept.";
}

/**
 * The HTTPS listener's Client CA settings, shared by the Create and Edit dialogs: Enable Client
 * CA, the Client CA certificate (with Upload new certificate) and the trusted client certificates.
 * While Client CA is off the choices stay on show if the listener kept some, so they can be cleared.
 */
export function ClientCaSettings({
  idPrefix,
  certificates,
  value,
  onChange,
  errors,
  showChoicesWhileDisabled,
}: {
  idPrefix: string;
  certificates: CertificateView[];
  value: ClientAuthFormValues;
  onChange: ClientAuthChange;
  errors: { caCertificateId?: string; trustedCertificateIds?: string };
  showChoicesWhileDisabled: boolean;
}) {
  const [uploading, setUploading] = useState(false);
  const [caFilter, setCaFilter] = useState("");
  const cas = certificates.filter((c) => c.kind === "ca");
  const clients = certificates.filter((c) => c.kind === "client");
  const ca = cas.find((c) => c.id === value.caCertificateId);
  const enabled = value.clientAuthEnabled;
  const checkboxId = `${idPrefix}-client-ca`;
  const pickerId = `${idPrefix}-client-ca-certificate`;

  return (
    <>
      <div className="flex items-start gap-3">
        <Checkbox id={checkboxId} checked={enabled} onCheckedChange={(v) => onChange("clientAuthEnabled", v)} describedBy={`${checkboxId}-hint`} />
        <div>
          <label htmlFor={checkboxId} className="text-sm font-medium">
            Enable Client CA
          </label>
          <p id={`${checkboxId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            Clients are asked for a certificate this listener trusts (mutual TLS); the mode says what happens to the others.
          </p>
        </div>
      </div>
      {enabled ? <ClientAuthModeChoice idPrefix={idPrefix} value={value.clientAuthMode} onChange={(mode) => onChange("clientAuthMode", mode)} /> : null}
      {enabled || showChoicesWhileDisabled ? (
        <>
          <Field id={pickerId} label="Client CA certificate" error={errors.caCertificateId} hint={caHint(enabled, ca)}>
            <div className="space-y-2">
              {cas.length > FILTER_FROM ? (
                <SearchInput
                  id={`${pickerId}-filter`}
                  label="Filter CA certificates"
                  placeholder={`Filter ${cas.length} CA certificates by name or subject`}
                  value={caFilter}
                  onChange={setCaFilter}
                  controls={pickerId}
                />
              ) : null}
              <div className="flex flex-wrap gap-2">
                <Select
                  id={pickerId}
                  className="min-w-48 flex-1"
                  value={value.caCertificateId}
                  onChange={(event) => onChange("caCertificateId", event.target.value)}
                  {...describedBy(pickerId, errors.caCertificateId, true)}
                >
                  <option value="">None</option>
                  {caChoices(cas, { chosenId: value.caCertificateId, filter: caFilter }).map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </Select>
                <Button onClick={() => setUploading(true)}>Upload new certificate</Button>
              </div>
            </div>
          </Field>
          <TrustedCertificatesPicker
            idPrefix={idPrefix}
            certificates={clients}
            ca={ca}
            value={value.trustedCertificateIds}
            onChange={(ids) => onChange("trustedCertificateIds", ids)}
            max={MAX_TRUSTED_CERTIFICATES}
            error={errors.trustedCertificateIds}
          />
        </>
      ) : null}
      <UploadCertificateDialog
        open={uploading}
        onOpenChange={setUploading}
        fixedKind="ca"
        // Selected once the refreshed list holds it (the dialog invalidates the certificate list).
        onUploaded={(certificate) => onChange("caCertificateId", certificate.id)}
      />
    </>
  );
}
