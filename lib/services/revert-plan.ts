// What reverting a listener change would do, decided from the event's before/after snapshots and
// the listener's settings now, touching nothing: the PATCH that puts back what the event changed
// (only that: a later change of another setting stays), and which of those settings changed again
// since, which the revert would overwrite.
import { z } from "zod";
import type { Overwrite } from "../errors";
import { listenerPatchSchema } from "../schemas/listeners";

type Snapshot = Record<string, unknown>;

export interface RevertPlan {
  /** The PATCH body that restores the settings the event changed; `{}` when the listener already has them all. */
  patch: Snapshot;
  /** The dotted settings the patch restores. */
  fields: string[];
  /** Those of them that changed again since the event: the revert replaces someone's later value. */
  overwrites: Overwrite[];
}

/**
 * Every setting a PATCH can set, dotted (`clientAuth.mode`), read from the schema that validates
 * the PATCH: a setting the API learns to change is revertable without a list to keep in step.
 * `protocol` is not among them (it is chosen at creation), so a revert never tries to change it.
 */
export function patchableFields(schema: z.ZodType = listenerPatchSchema, prefix = ""): string[] {
  const unwrapped = schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? schema.unwrap() : schema;
  if (!(unwrapped instanceof z.ZodObject)) return [prefix];
  return Object.entries(unwrapped.shape as Record<string, z.ZodType>).flatMap(([key, inner]) =>
    patchableFields(inner, prefix ? `${prefix}.${key}` : key),
  );
}

export function planRevert(before: Snapshot, after: Snapshot, current: Snapshot): RevertPlan {
  const plan: RevertPlan = { patch: {}, fields: [], overwrites: [] };
  for (const field of patchableFields()) {
    const was = valueAt(before, field);
    const became = valueAt(after, field);
    const now = valueAt(current, field);
    // An event from before the setting existed says nothing about it; one that left it alone neither.
    if (was === undefined || same(was, became)) continue;
    if (same(now, was)) continue;
    setAt(plan.patch, field, was);
    plan.fields.push(field);
    if (!same(now, became)) plan.overwrites.push({ field, current: now ?? null, restored: was });
  }
  return plan;
}

function valueAt(snapshot: Snapshot, field: string): unknown {
  return field.split(".").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), snapshot);
}

function setAt(target: Snapshot, field: string, value: unknown): void {
  const keys = field.split(".");
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) node = (node[key] ??= {}) as Snapshot;
  node[last] = value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function isObject(value: unknown): value is Snapshot {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
