"use client";
// A CA certificate's certificate revocation lists: what is uploaded, which one is in force per
// issuer, upload and delete (docs/api.md "Certificate revocation lists").
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { PermittedButton } from "@/components/auth/permitted-button";
import type { CrlView } from "@/components/data/api";
import { useDeleteCrl, useUploadCrl } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FileInput } from "@/components/ui/file-input";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { readableName } from "./format";

/** MAX_CRL_BYTES (lib/pki/types.ts): the server refuses more; a 100,000-entry CRL is ~4 MB. */
const MAX_CRL_FILE_BYTES = 32 * 1024 * 1024;
const TOO_LARGE = "This is larger than 32 MiB, the most a CRL may be; upload the CA's current CRL only.";

export function CrlSection({ certificateId, certificateName }: { certificateId: string; certificateName: string }) {
  const crls = useQuery(queries.crls(certificateId));
  const [uploading, setUploading] = useState(false);
  const [deleting, setDeleting] = useState<CrlView | null>(null);
  return (
    <section className="space-y-3" aria-labelledby="crls-heading">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="crls-heading" className="text-lg font-semibold">
          Certificate revocation lists
        </h2>
        <PermittedButton permission="operate" variant="primary" onClick={() => setUploading(true)}>
          Upload CRL
        </PermittedButton>
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Listeners whose Client CA is {certificateName} refuse a client whose certificate, or a CA of its chain, is on the CRL in force (reason
        “Revoked by the CA&apos;s CRL”). The newest CRL of each issuer is in force; one past its next update is still applied.
      </p>
      <QueryState query={crls}>
        {(data) => (
          <Table caption="Certificate revocation lists" head={["Issuer", "This update", "Next update", "Revoked", "Uploaded", "Status", "Actions"]}>
            {data.items.length === 0 ? (
              <EmptyRow colSpan={7}>No CRL uploaded: no client of this CA is refused as revoked.</EmptyRow>
            ) : (
              data.items.map((crl) => (
                <tr key={crl.id} data-testid="crl-row">
                  <Td label="Issuer" className="[overflow-wrap:anywhere]">
                    {readableName(crl.issuer)}
                  </Td>
                  <Td label="This update">
                    <DateTime value={crl.thisUpdate} />
                  </Td>
                  <Td label="Next update">{crl.nextUpdate ? <DateTime value={crl.nextUpdate} /> : "—"}</Td>
                  <Td label="Revoked">{crl.revokedCount.toLocaleString("en-US")}</Td>
                  <Td label="Uploaded">
                    <DateTime value={crl.createdAt} />
                  </Td>
                  <Td label="Status">
                    <span className="flex flex-wrap gap-1">
                      {crl.inForce ? <Badge tone="green">In force</Badge> : <Badge tone="slate">Superseded</Badge>}
                      {crl.expired ? <Badge tone="amber">Past next update</Badge> : null}
                    </span>
                  </Td>
                  <Td label="Actions">
                    <PermittedButton permission="operate" variant="danger" aria-label={`Delete the CRL of ${readableName(crl.issuer)} from ${crl.thisUpdate}`} onClick={() => setDeleting(crl)}>
                      Delete
                    </PermittedButton>
                  </Td>
                </tr>
              ))
            )}
          </Table>
        )}
      </QueryState>
      <UploadCrlDialog certificateId={certificateId} open={uploading} onOpenChange={setUploading} />
      <DeleteCrlDialog certificateId={certificateId} crl={deleting} onClose={() => setDeleting(null)} />
    </section>
  );
}

const uploadSchema = z
  .object({ file: z.custom<FileList>().optional(), pem: z.string() })
  .superRefine((v, ctx) => {
    const file = v.file?.[0];
    if (!file && !v.pem.trim()) ctx.addIssue({ code: "custom", path: ["file"], message: "Choose the CRL file (.crl .pem .der) or paste the PEM text." });
    // Refused here too, so a huge file is not sent only to be refused (the server checks the same).
    if (file && file.size > MAX_CRL_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["file"], message: TOO_LARGE });
    if (!file && new Blob([v.pem]).size > MAX_CRL_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["pem"], message: TOO_LARGE });
  });
type UploadValues = z.infer<typeof uploadSchema>;

function UploadCrlDialog({ certificateId, open, onOpenChange }: { certificateId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const toast = useToast();
  const form = useForm<UploadValues>({ resolver: zodResolver(uploadSchema), defaultValues: { pem: "" } });
  const problem = useServerProblem(form);
  const file = useWatch({ control: form.control, name: "file" });
  const errors = form.formState.errors;
  const close = (next: boolean) => {
    if (!next) problem.reset();
    onOpenChange(next);
  };
  const mutation = useUploadCrl(certificateId, {
    onSuccess: (crl) => {
      toast(`CRL of ${readableName(crl.issuer)} uploaded: ${crl.revokedCount.toLocaleString("en-US")} revoked${crl.inForce ? ", in force" : ", superseded by a newer one"}`);
      close(false);
    },
    // Pasted PEM travels as text in "file"; a chosen file as a File: the error goes beside the one used.
    onError: (error, data) => problem.showProblem(error, (field) => (field === "crl" ? (typeof data.get("file") === "string" ? "pem" : "file") : null)),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Upload CRL"
      description="The certificate revocation list this CA (or an intermediate of its bundle) published. It applies to new connections once uploaded."
    >
      <form
        className="space-y-4"
        noValidate
        onSubmit={form.handleSubmit((values) => {
          const data = new FormData();
          data.set("file", values.file?.[0] ?? values.pem);
          mutation.mutate(data);
        })}
      >
        <Field id="crl-file" label="CRL file" error={errors.file?.message} hint="DER (.crl .der) or PEM (.pem, '-----BEGIN X509 CRL-----'), at most 32 MiB.">
          <FileInput
            id="crl-file"
            accept=".crl,.pem,.der,application/pkix-crl,application/x-pkcs7-crl"
            chosen={file}
            {...describedBy("crl-file", errors.file?.message, true)}
            {...form.register("file")}
          />
        </Field>
        <Field id="crl-pem" label="Paste PEM" error={errors.pem?.message} hint="Or paste the CRL text instead of choosing a file.">
          <textarea
            id="crl-pem"
            rows={4}
            spellCheck={false}
            placeholder="-----BEGIN X509 CRL-----"
            className={`${inputClass} font-mono text-xs`}
            {...describedBy("crl-pem", errors.pem?.message, true)}
            {...form.register("pem")}
          />
        </Field>
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Upload" pendingLabel="Uploading…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}

function DeleteCrlDialog({ certificateId, crl, onClose }: { certificateId: string; crl: CrlView | null; onClose: () => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useDeleteCrl(certificateId, {
    onSuccess: () => {
      toast("CRL deleted");
      setError("");
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const consequence = crl?.inForce
    ? "It is in force: from the next connection on, the next newest CRL of this issuer applies, or none, and the clients it revokes are let in again."
    : "It is superseded by a newer CRL, so nothing changes for clients.";
  return (
    <Dialog
      open={crl !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError("");
          onClose();
        }
      }}
      title="Delete CRL?"
      description={crl ? `The CRL of ${readableName(crl.issuer)} (${crl.revokedCount.toLocaleString("en-US")} revoked) will be deleted. ${consequence}` : undefined}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (crl) mutation.mutate(crl.id);
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={onClose} submitLabel="Delete CRL" pendingLabel="Deleting…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
