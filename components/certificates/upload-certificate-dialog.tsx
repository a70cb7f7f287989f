"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { CertificateView } from "@/components/data/api";
import { useUploadCertificate } from "@/components/data/mutations";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FileInput } from "@/components/ui/file-input";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { certificateKindLabels, certificateKinds, certificateKindSchema, certificateNameSchema } from "@/lib/schemas/certificates";
import { FormActions } from "@/components/ui/form-actions";

function uploadFormData(values: UploadFormValues): FormData {
  const data = new FormData();
  data.set("name", values.name);
  data.set("kind", values.kind);
  // Pasted PEM goes in "file" as text, as curl -F 'file=<ca.pem' sends it to the API (lib/services/upload-form.ts).
  data.set("file", values.file?.[0] ?? values.pem);
  const keyFile = values.keyFile?.[0];
  if (values.kind === "server" && keyFile) data.set("keyFile", keyFile);
  if (values.kind === "server" && values.passphrase) data.set("passphrase", values.passphrase);
  return data;
}

const MAX_FILE_BYTES = 1024 * 1024;
const TOO_LARGE = "This is larger than 1 MiB; a certificate is far smaller, so check you picked the right file.";

const uploadFormSchema = z
  .object({
    name: certificateNameSchema,
    kind: certificateKindSchema,
    file: z.custom<FileList>().optional(),
    pem: z.string(),
    keyFile: z.custom<FileList>().optional(),
    passphrase: z.string(),
  })
  .superRefine((v, ctx) => {
    const file = v.file?.[0];
    if (!file && !v.pem.trim()) {
      ctx.addIssue({ code: "custom", path: ["file"], message: "Choose a certificate file (.pem .crt .cer .der) or paste the PEM text." });
    }
    // Refused here too, so a large file is not sent only to be refused (the server checks the same).
    if (file && file.size > MAX_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["file"], message: TOO_LARGE });
    if (!file && new Blob([v.pem]).size > MAX_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["pem"], message: TOO_LARGE });
    if (v.kind === "server" && !v.keyFile?.[0]) {
      ctx.addIssue({ code: "custom", path: ["keyFile"], message: "A server certificate needs its private key (PEM); choose the key file." });
    }
    if (v.kind === "server" && (v.keyFile?.[0]?.size ?? 0) > MAX_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["keyFile"], message: TOO_LARGE });
  });
type UploadFormValues = z.infer<typeof uploadFormSchema>;

/** The form field a server-side field error belongs on; the certificate's is wherever it came from. */
function formFieldFor(field: string, pasted: boolean): keyof UploadFormValues | null {
  switch (field) {
    case "name":
    case "kind":
    case "passphrase":
      return field;
    case "certificate":
      return pasted ? "pem" : "file";
    case "privateKey":
      return "keyFile";
    default:
      return null;
  }
}

/** "Certificate corp-root uploaded", plus what to look at when the upload came with warnings. */
export function uploadedMessage(certificate: CertificateView): string {
  const { warnings } = certificate;
  if (warnings.length === 0) return `Certificate ${certificate.name} uploaded`;
  return `Certificate ${certificate.name} uploaded with ${warnings.length === 1 ? "a warning" : `${warnings.length} warnings`}: ${warnings.join(" ")}`;
}

export function UploadCertificateDialog({
  open,
  onOpenChange,
  fixedKind,
  onUploaded,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Set when the dialog is opened from a picker that takes one kind only. */
  fixedKind?: "ca" | "client" | "server";
  onUploaded?: (certificate: CertificateView) => void;
}) {
  const toast = useToast();
  const form = useForm<UploadFormValues>({
    resolver: zodResolver(uploadFormSchema),
    defaultValues: { name: "", kind: fixedKind ?? "ca", pem: "", passphrase: "" },
  });
  const problem = useServerProblem(form);
  const kind = useWatch({ control: form.control, name: "kind" });
  const [file, keyFile] = useWatch({ control: form.control, name: ["file", "keyFile"] });
  const errors = form.formState.errors;

  const mutation = useUploadCertificate({
    onSuccess: (certificate) => {
      toast(uploadedMessage(certificate));
      onUploaded?.(certificate);
      close(false);
    },
    // Pasted PEM travels as text in "file"; a chosen file travels as a File.
    onError: (error, data) => problem.showProblem(error, (field) => formFieldFor(field, typeof data.get("file") === "string")),
  });

  const close = (next: boolean) => {
    if (!next) problem.reset();
    onOpenChange(next);
  };

  return (
    <Dialog open={open} onOpenChange={close} title={fixedKind === "ca" ? "Upload CA certificate" : "Upload certificate"}>
      <form
        onSubmit={(event) => {
          // Opened from inside another dialog's form (Edit listener), whose submit handler would
          // otherwise hear this submit too: React events bubble through portals.
          event.stopPropagation();
          return form.handleSubmit((values) => mutation.mutate(uploadFormData(values)))(event);
        }}
        className="space-y-4"
        noValidate
      >
        <Field id="upload-name" label="Name" error={errors.name?.message}>
          <input id="upload-name" className={inputClass} autoComplete="off" {...describedBy("upload-name", errors.name?.message)} {...form.register("name")} />
        </Field>
        {fixedKind ? (
          <p className="text-sm">
            <span className="font-medium">Type:</span> {certificateKindLabels[fixedKind]}
          </p>
        ) : (
          <Field id="upload-kind" label="Type" error={errors.kind?.message}>
            <Select id="upload-kind" {...form.register("kind")}>
              {certificateKinds.map((k) => (
                <option key={k} value={k}>
                  {certificateKindLabels[k]}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <Field
          id="upload-file"
          label="Certificate file"
          error={errors.file?.message}
          hint="PEM (.pem .crt .cer) or DER (.der .cer), at most 1 MiB. A CA file may hold a bundle."
        >
          <FileInput
            id="upload-file"
            accept=".pem,.crt,.cer,.der,application/x-x509-ca-cert,application/pkix-cert"
            chosen={file}
            {...describedBy("upload-file", errors.file?.message, true)}
            {...form.register("file")}
          />
        </Field>
        <Field id="upload-pem" label="Paste PEM" error={errors.pem?.message} hint="Or paste the certificate text instead of choosing a file.">
          <textarea
            id="upload-pem"
            rows={4}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            className={`${inputClass} font-mono text-xs`}
            {...describedBy("upload-pem", errors.pem?.message, true)}
            {...form.register("pem")}
          />
        </Field>
        {kind === "server" ? (
          <>
            <Field id="upload-key" label="Private key" error={errors.keyFile?.message} hint="PEM (PKCS#8, PKCS#1 or SEC1). It is encrypted at rest and never shown again.">
              <FileInput
                id="upload-key"
                accept=".pem,.key"
                chosen={keyFile}
                {...describedBy("upload-key", errors.keyFile?.message, true)}
                {...form.register("keyFile")}
              />
            </Field>
            <Field id="upload-passphrase" label="Passphrase" error={errors.passphrase?.message} hint="Only for an encrypted private key.">
              <input
                id="upload-passphrase"
                type="password"
                autoComplete="off"
                className={inputClass}
                {...describedBy("upload-passphrase", errors.passphrase?.message, true)}
                {...form.register("passphrase")}
              />
            </Field>
          </>
        ) : null}
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Upload" pendingLabel="Uploading…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}
