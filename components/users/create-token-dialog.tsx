"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useCreateToken } from "@/components/data/mutations";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { MAX_TOKEN_DAYS, tokenCreateSchema, type TokenCreateInput } from "@/lib/schemas/identity";

interface Created {
  name: string;
  token: string;
  expiresAt: string;
}

/**
 * Makes a token, then shows its secret once: the server keeps only a hash, so closing the dialog
 * forgets it for good (it lives in this component's state, never in the query cache).
 */
export function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<Created | null>(null);
  const form = useForm<TokenCreateInput>({ resolver: zodResolver(tokenCreateSchema), defaultValues: { name: "", expiresInDays: 30 } });
  const problem = useServerProblem(form);
  const errors = form.formState.errors;
  const mutation = useCreateToken({
    onSuccess: (data) => setCreated({ name: data.name, token: data.token, expiresAt: data.expiresAt }),
    onError: (error) => problem.showProblem(error, (field) => (field === "name" || field === "expiresInDays" ? field : null)),
  });
  const close = (next: boolean) => {
    if (!next) {
      problem.reset();
      setCreated(null);
    }
    onOpenChange(next);
  };

  return (
    <Dialog open={open} onOpenChange={close} title={created ? "API token created" : "Create token"}>
      {created ? (
        <div className="space-y-4">
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            Copy the token now: it won&apos;t be shown again. certgate keeps only its hash.
          </p>
          <div className="space-y-1">
            <label htmlFor="created-token" className="block text-sm font-medium">
              Token {created.name}
            </label>
            <div className="flex gap-2">
              <input id="created-token" readOnly value={created.token} className={`${inputClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={created.token} label="Copy token" />
            </div>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              Expires <DateTime value={created.expiresAt} />. Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
            </p>
          </div>
          <div className="flex justify-end">
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
          <Field id="token-name" label="Name" error={errors.name?.message} hint="Name it after the script or machine that uses it.">
            <input id="token-name" className={inputClass} autoComplete="off" {...describedBy("token-name", errors.name?.message, true)} {...form.register("name")} />
          </Field>
          <Field id="token-days" label="Expires in days" error={errors.expiresInDays?.message} hint={`1 to ${MAX_TOKEN_DAYS} days.`}>
            <input
              id="token-days"
              type="number"
              min={1}
              max={MAX_TOKEN_DAYS}
              className={inputClass}
              {...describedBy("token-days", errors.expiresInDays?.message, true)}
              {...form.register("expiresInDays", { valueAsNumber: true })}
            />
          </Field>
          <FormError message={problem.formError} />
          <FormActions onCancel={() => close(false)} submitLabel="Create token" pendingLabel="Creating…" pending={mutation.isPending} />
        </form>
      )}
    </Dialog>
  );
}
