"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useFieldArray, useForm, type Path } from "react-hook-form";
import type { PoolView } from "@/components/data/api";
import { useCreatePool, useUpdatePool } from "@/components/data/mutations";
import { ProblemError } from "@/components/data/problem";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { STALE_VERSION_TYPE } from "@/lib/errors";
import { MAX_POOL_MEMBERS, POOL_DEFAULTS, poolFormSchema, poolInputFromForm, type PoolFormValues } from "@/lib/schemas/pools";

const NEW_MEMBER = { address: "", port: "80", weight: String(POOL_DEFAULTS.weight) };

const EMPTY: PoolFormValues = {
  name: "",
  algorithm: POOL_DEFAULTS.algorithm,
  members: [{ ...NEW_MEMBER }],
  healthCheckPath: POOL_DEFAULTS.healthCheck.path,
  intervalSeconds: String(POOL_DEFAULTS.healthCheck.intervalSeconds),
  healthyThreshold: String(POOL_DEFAULTS.healthCheck.healthyThreshold),
  unhealthyThreshold: String(POOL_DEFAULTS.healthCheck.unhealthyThreshold),
};

function valuesOf(pool: PoolView): PoolFormValues {
  return {
    name: pool.name,
    algorithm: pool.algorithm,
    members: pool.members.map((m) => ({ address: m.address, port: String(m.port), weight: String(m.weight) })),
    healthCheckPath: pool.healthCheck.path,
    intervalSeconds: String(pool.healthCheck.intervalSeconds),
    healthyThreshold: String(pool.healthCheck.healthyThreshold),
    unhealthyThreshold: String(pool.healthCheck.unhealthyThreshold),
  };
}

/** Maps the API's field paths (`members.1.port`, `healthCheck.path`) onto the dialog's fields. */
function formFieldFor(apiField: string): Path<PoolFormValues> | null {
  const member = /^members\.(\d+)\.(address|port|weight)$/.exec(apiField);
  if (member) return `members.${Number(member[1])}.${member[2] as "address" | "port" | "weight"}`;
  const map: Record<string, Path<PoolFormValues>> = {
    name: "name",
    algorithm: "algorithm",
    "healthCheck.path": "healthCheckPath",
    "healthCheck.intervalSeconds": "intervalSeconds",
    "healthCheck.healthyThreshold": "healthyThreshold",
    "healthCheck.unhealthyThreshold": "unhealthyThreshold",
  };
  return map[apiField] ?? null;
}

/** Create pool (no `pool`) or Edit pool: name, algorithm, members, health check. */
export function PoolDialog({
  loadBalancerId,
  pool,
  open,
  onOpenChange,
}: {
  loadBalancerId: string;
  pool?: PoolView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const toast = useToast();
  const [version, setVersion] = useState(pool?.version ?? 0);
  const [stale, setStale] = useState(false);
  const form = useForm<PoolFormValues>({ resolver: zodResolver(poolFormSchema), defaultValues: pool ? valuesOf(pool) : EMPTY });
  const members = useFieldArray({ control: form.control, name: "members" });
  const problem = useServerProblem(form);
  const errors = form.formState.errors;

  const close = (next: boolean) => {
    if (!next) {
      problem.reset();
      setStale(false);
    }
    onOpenChange(next);
  };
  const onError = (error: Error) => {
    setStale(error instanceof ProblemError && error.problem.type === STALE_VERSION_TYPE);
    problem.showProblem(error, formFieldFor);
  };
  const create = useCreatePool(loadBalancerId, {
    onSuccess: (saved) => {
      toast(`Pool ${saved.name} created`);
      form.reset(EMPTY);
      close(false);
    },
    onError,
  });
  const update = useUpdatePool(pool?.id ?? "", {
    onSuccess: (saved) => {
      toast(`Pool ${saved.name} saved`);
      setVersion(saved.version);
      form.reset(valuesOf(saved));
      close(false);
    },
    onError,
  });
  const pending = create.isPending || update.isPending;
  const submit = (values: PoolFormValues) => {
    const input = poolInputFromForm(values);
    if (pool) update.mutate({ expectedVersion: version, patch: input });
    else create.mutate(input);
  };
  const reloadLatest = () => {
    // The table behind polls: the pool as saved now is what it shows.
    if (!pool) return;
    setVersion(pool.version);
    form.reset(valuesOf(pool));
    problem.reset();
    setStale(false);
  };

  const id = pool ? `pool-${pool.id}` : "new-pool";
  const text = (name: Path<PoolFormValues>) => form.register(name);
  return (
    <Dialog open={open} onOpenChange={close} title={pool ? "Edit pool" : "Create pool"} wide>
      <form onSubmit={form.handleSubmit(submit)} className="space-y-4" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field id={`${id}-name`} label="Name" error={errors.name?.message}>
            <input id={`${id}-name`} className={inputClass} autoComplete="off" {...describedBy(`${id}-name`, errors.name?.message)} {...text("name")} />
          </Field>
          <Field id={`${id}-algorithm`} label="Algorithm" error={errors.algorithm?.message} hint="Round robin takes members in turn, by weight; least connections picks the least busy.">
            <Select id={`${id}-algorithm`} {...describedBy(`${id}-algorithm`, errors.algorithm?.message, true)} {...text("algorithm")}>
              <option value="round_robin">Round robin</option>
              <option value="least_connections">Least connections</option>
            </Select>
          </Field>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Members</legend>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            The backends requests go to: an IP address or host name, a port, and a weight from 1 to 100 (a member of weight 2 gets twice the
            requests of weight 1). A pool without members answers 503.
          </p>
          {members.fields.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No members yet.</p> : null}
          <ul className="space-y-2">
            {members.fields.map((field, index) => {
              const rowErrors = errors.members?.[index];
              const cell = (name: "address" | "port" | "weight") => `${id}-member-${index}-${name}`;
              return (
                <li key={field.id} className="grid grid-cols-[1fr_6rem_5rem_auto] items-start gap-2" aria-label={`Member ${index + 1}`}>
                  <Field id={cell("address")} label={`Address ${index + 1}`} error={rowErrors?.address?.message}>
                    <input
                      id={cell("address")}
                      className={inputClass}
                      autoComplete="off"
                      placeholder="10.0.0.5 or app.internal"
                      {...describedBy(cell("address"), rowErrors?.address?.message)}
                      {...form.register(`members.${index}.address`)}
                    />
                  </Field>
                  <Field id={cell("port")} label={`Port ${index + 1}`} error={rowErrors?.port?.message}>
                    <input id={cell("port")} inputMode="numeric" className={inputClass} {...describedBy(cell("port"), rowErrors?.port?.message)} {...form.register(`members.${index}.port`)} />
                  </Field>
                  <Field id={cell("weight")} label={`Weight ${index + 1}`} error={rowErrors?.weight?.message}>
                    <input
                      id={cell("weight")}
                      inputMode="numeric"
                      className={inputClass}
                      {...describedBy(cell("weight"), rowErrors?.weight?.message)}
                      {...form.register(`members.${index}.weight`)}
                    />
                  </Field>
                  <Button className="mt-6" aria-label={`Remove member ${index + 1}`} onClick={() => members.remove(index)}>
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
          {errors.members?.message ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {errors.members.message}
            </p>
          ) : null}
          <Button onClick={() => members.append({ ...NEW_MEMBER })} disabled={members.fields.length >= MAX_POOL_MEMBERS}>
            Add member
          </Button>
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Health check</legend>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Every interval, each member is asked for the path (GET); a 2xx or 3xx answer is a success. A member is taken out of service after
            the unhealthy threshold of failures in a row, and put back after the healthy threshold of successes.
          </p>
          <div className="grid gap-3 sm:grid-cols-4">
            <Field id={`${id}-hc-path`} label="Path" error={errors.healthCheckPath?.message}>
              <input id={`${id}-hc-path`} className={inputClass} autoComplete="off" {...describedBy(`${id}-hc-path`, errors.healthCheckPath?.message)} {...text("healthCheckPath")} />
            </Field>
            <Field id={`${id}-hc-interval`} label="Interval (seconds)" error={errors.intervalSeconds?.message}>
              <input id={`${id}-hc-interval`} inputMode="numeric" className={inputClass} {...describedBy(`${id}-hc-interval`, errors.intervalSeconds?.message)} {...text("intervalSeconds")} />
            </Field>
            <Field id={`${id}-hc-healthy`} label="Healthy threshold" error={errors.healthyThreshold?.message}>
              <input id={`${id}-hc-healthy`} inputMode="numeric" className={inputClass} {...describedBy(`${id}-hc-healthy`, errors.healthyThreshold?.message)} {...text("healthyThreshold")} />
            </Field>
            <Field id={`${id}-hc-unhealthy`} label="Unhealthy threshold" error={errors.unhealthyThreshold?.message}>
              <input
                id={`${id}-hc-unhealthy`}
                inputMode="numeric"
                className={inputClass}
                {...describedBy(`${id}-hc-unhealthy`, errors.unhealthyThreshold?.message)}
                {...text("unhealthyThreshold")}
              />
            </Field>
          </div>
        </fieldset>

        <FormError message={problem.formError}>
          {stale ? (
            <Button className="mt-2" onClick={reloadLatest}>
              Reload pool
            </Button>
          ) : null}
        </FormError>
        <FormActions
          onCancel={() => close(false)}
          submitLabel={pool ? "Save" : "Create"}
          pendingLabel={pool ? "Saving…" : "Creating…"}
          pending={pending}
        />
      </form>
    </Dialog>
  );
}
