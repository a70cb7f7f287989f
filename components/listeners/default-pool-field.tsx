"use client";
import { useQuery } from "@tanstack/react-query";
import type { UseFormRegisterReturn } from "react-hook-form";
import { queries } from "@/components/data/queries";
import { describedBy, Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

/** The listener dialogs' Default pool: "" is none (the built-in echo), else a pool of this load balancer. */
export function DefaultPoolField({
  id,
  loadBalancerId,
  error,
  registration,
  enabled = true,
}: {
  id: string;
  loadBalancerId: string;
  error?: string;
  registration: UseFormRegisterReturn<"defaultPoolId">;
  enabled?: boolean;
}) {
  const pools = useQuery({ ...queries.pools(loadBalancerId), enabled });
  return (
    <Field
      id={id}
      label="Default pool"
      error={error}
      hint="Where requests are forwarded after the client certificate check. Pools are made on the load balancer's Pools tab."
    >
      <Select id={id} {...describedBy(id, error, true)} {...registration}>
        <option value="">None — built-in test endpoint</option>
        {(pools.data?.items ?? []).map((pool) => (
          <option key={pool.id} value={pool.id}>
            {pool.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
