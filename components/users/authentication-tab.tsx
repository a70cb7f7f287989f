"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { UserCertificateView, UserView } from "@/components/data/api";
import { useBindUserCertificate, useUnbindUserCertificate, useUpdateUser } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { CopyButton } from "@/components/ui/copy-button";
import { formatDate } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FileInput } from "@/components/ui/file-input";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";

/** Where the API's client-certificate port listens, as the page's server knows it; null when turned off. */
export interface ApiPort {
  host: string;
  port: number | null;
  /** The CA file that verifies the port's server certificate, when certgate made it. */
  caFile: string | null;
}

/** The most client certificates a user binds (lib/services/user-certificates.ts; the server refuses the sixth). */
const MAX_CERTIFICATES = 5;

export function AuthenticationTab({ user, apiPort }: { user: UserView; apiPort: ApiPort }) {
  const certificates = useQuery(queries.userCertificates(user.id));
  return (
    <div className="max-w-4xl space-y-5">
      <ClientCertificateSwitch user={user} />
      <ApiPortExplanation apiPort={apiPort} />
      <section className="space-y-3" aria-labelledby="client-certificates-heading">
        <div className="flex flex-wrap items-baseline gap-3">
          <h2 id="client-certificates-heading" className="text-lg font-semibold">
            Client certificates
          </h2>
          <span className="text-sm text-slate-700 dark:text-slate-300" data-testid="certificate-count">
            {certificates.data ? `${certificates.data.items.length} of ${MAX_CERTIFICATES}` : null}
          </span>
        </div>
        <QueryState query={certificates}>
          {(data) => (
            <>
              <BindCertificateForm userId={user.id} count={data.items.length} />
              <CertificateList userId={user.id} certificates={data.items} />
            </>
          )}
        </QueryState>
      </section>
    </div>
  );
}

/** Saves at once: the next request on the client-certificate port is decided by it. */
function ClientCertificateSwitch({ user }: { user: UserView }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useUpdateUser(user.id, {
    onSuccess: (saved) => toast(saved.clientCertificateAuth ? "Client certificate authentication turned on" : "Client certificate authentication turned off"),
    onError: (e) => setError(e.message),
  });
  // Shows the choice while it saves, then the saved value.
  const checked = mutation.isPending ? Boolean(mutation.variables?.clientCertificateAuth) : user.clientCertificateAuth;
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <Checkbox
          id="client-certificate-auth"
          checked={checked}
          disabled={mutation.isPending}
          describedBy={error ? "client-certificate-auth-error" : "client-certificate-auth-hint"}
          onCheckedChange={(value) => {
            setError("");
            mutation.mutate({ clientCertificateAuth: value });
          }}
        />
        <label htmlFor="client-certificate-auth" className="text-sm font-medium">
          Client certificate authentication
        </label>
      </div>
      {error ? (
        <p id="client-certificate-auth-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id="client-certificate-auth-hint" className="text-xs text-slate-600 dark:text-slate-400">
          {checked
            ? `On: an API call that presents one of the certificates below acts as ${user.username}.`
            : "Off: the certificates below are kept but refused until this is on."}
        </p>
      )}
    </div>
  );
}

function ApiPortExplanation({ apiPort }: { apiPort: ApiPort }) {
  const base = apiPort.port ? `https://${apiPort.host}:${apiPort.port}` : null;
  const curl = base ? `curl --cacert ${apiPort.caFile ?? "server-ca.crt"} --cert client.crt --key client.key ${base}/api/v1/me` : null;
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 text-sm text-slate-800 dark:bg-slate-800/60 dark:text-slate-200">
      <p>
        These certificates are for programs that call the API on the client-certificate port
        {base ? (
          <>
            {" "}
            (<code>{base}</code>)
          </>
        ) : null}
        , not for the web console: the console always signs in with a password. The certificate only carries a public key; binding it here is what
        trusts it, so a self-signed certificate with extended key usage clientAuth is enough.
      </p>
      {curl ? (
        <div className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 rounded bg-white px-2 py-1 font-mono text-xs break-all dark:bg-slate-900">{curl}</code>
          <CopyButton text={curl} label="Copy curl command" />
        </div>
      ) : (
        <p>The client-certificate port is turned off on this console (CERTGATE_API_MTLS_PORT=0).</p>
      )}
    </div>
  );
}

const MAX_FILE_BYTES = 1024 * 1024;
const TOO_LARGE = "This is larger than 1 MiB; a certificate is far smaller, so check you picked the right file.";

const bindSchema = z
  .object({ file: z.custom<FileList>().optional(), pem: z.string() })
  .superRefine((v, ctx) => {
    const file = v.file?.[0];
    if (!file && !v.pem.trim()) ctx.addIssue({ code: "custom", path: ["file"], message: "Choose a certificate file (.pem .crt .cer .der) or paste the PEM text." });
    if (file && file.size > MAX_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["file"], message: TOO_LARGE });
    if (!file && new Blob([v.pem]).size > MAX_FILE_BYTES) ctx.addIssue({ code: "custom", path: ["pem"], message: TOO_LARGE });
  });
type BindValues = z.infer<typeof bindSchema>;

function BindCertificateForm({ userId, count }: { userId: string; count: number }) {
  const toast = useToast();
  const form = useForm<BindValues>({ resolver: zodResolver(bindSchema), defaultValues: { pem: "" } });
  const problem = useServerProblem(form);
  const file = useWatch({ control: form.control, name: "file" });
  const errors = form.formState.errors;
  const full = count >= MAX_CERTIFICATES;
  const mutation = useBindUserCertificate(userId, {
    onSuccess: (bound) => {
      toast(`Client certificate ${bound.subject} added`);
      problem.reset();
    },
    // Pasted PEM travels as text; a chosen file as a File: the error goes beside the one used.
    onError: (error, data) =>
      problem.showProblem(error, (field) => (field === "certificate" ? (typeof data.get("file") === "string" ? "pem" : "file") : null)),
  });
  const limitMessage = `${count} of ${MAX_CERTIFICATES} client certificates are bound, the most a user can have; remove one to add another.`;
  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
      aria-labelledby="add-certificate-heading"
      noValidate
      onSubmit={form.handleSubmit((values) => {
        const data = new FormData();
        data.set("file", values.file?.[0] ?? values.pem);
        mutation.mutate(data);
      })}
    >
      <h3 id="add-certificate-heading" className="text-base font-semibold">
        Add a client certificate
      </h3>
      {full ? (
        <p id="certificate-limit" role="status" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {limitMessage}
        </p>
      ) : null}
      <fieldset disabled={full} className="space-y-3">
        <Field
          id="bind-file"
          label="Certificate file"
          error={errors.file?.message}
          hint="PEM (.pem .crt .cer) or DER (.der .cer) with extended key usage clientAuth; not a CA; in date."
        >
          <FileInput id="bind-file" accept=".pem,.crt,.cer,.der" chosen={file} {...describedBy("bind-file", errors.file?.message, true)} {...form.register("file")} />
        </Field>
        <Field id="bind-pem" label="Paste PEM" error={errors.pem?.message} hint="Or paste the certificate text instead of choosing a file.">
          <textarea
            id="bind-pem"
            rows={3}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            className={`${inputClass} font-mono text-xs`}
            {...describedBy("bind-pem", errors.pem?.message, true)}
            {...form.register("pem")}
          />
        </Field>
        <FormError message={problem.formError} />
        <Button type="submit" variant="primary" disabled={full || mutation.isPending} aria-describedby={full ? "certificate-limit" : undefined}>
          {mutation.isPending ? "Adding…" : "Add certificate"}
        </Button>
      </fieldset>
    </form>
  );
}

function CertificateList({ userId, certificates }: { userId: string; certificates: UserCertificateView[] }) {
  const [removing, setRemoving] = useState<UserCertificateView | null>(null);
  return (
    <>
      <Table caption="Client certificates" head={["Subject", "Issuer", "SHA-256 fingerprint", "Expires", "Actions"]}>
        {certificates.length === 0 ? (
          <EmptyRow colSpan={5}>No client certificates yet. Add one above to call the API with it.</EmptyRow>
        ) : (
          certificates.map((c) => (
            <tr key={c.id}>
              <Td label="Subject" className="[overflow-wrap:anywhere]">
                {c.subject}
              </Td>
              <Td label="Issuer" className="[overflow-wrap:anywhere]">
                {c.issuer === c.subject ? "Self-signed" : c.issuer}
              </Td>
              <Td label="SHA-256 fingerprint">
                <span className="font-mono text-xs break-all" title={c.fingerprintSha256}>
                  {c.fingerprintSha256}
                </span>
              </Td>
              <Td label="Expires">
                <time dateTime={c.notAfter} className="whitespace-nowrap">
                  {formatDate(c.notAfter)}
                </time>
              </Td>
              <Td label="Actions">
                <Button variant="danger" aria-label={`Remove ${c.subject}`} onClick={() => setRemoving(c)}>
                  Remove
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <RemoveCertificateDialog userId={userId} certificate={removing} onClose={() => setRemoving(null)} />
    </>
  );
}

function RemoveCertificateDialog({ userId, certificate, onClose }: { userId: string; certificate: UserCertificateView | null; onClose: () => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useUnbindUserCertificate(userId, {
    onSuccess: () => {
      toast(`Client certificate ${certificate?.subject ?? ""} removed`);
      setError("");
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  return (
    <Dialog
      open={certificate !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError("");
          onClose();
        }
      }}
      title="Remove client certificate"
      description={`API calls that present ${certificate?.subject ?? "this certificate"} are refused from the next request on.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (certificate) mutation.mutate(certificate.id);
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={onClose} submitLabel="Remove" pendingLabel="Removing…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
