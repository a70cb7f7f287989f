// A backend pool as the API and the console's pool dialog take it (docs/api.md "Pools").
import { z } from "zod";
import { POOL_ALGORITHMS, memberKey } from "../dataplane/types";
import { portSchema } from "./listeners";
import { resourceNameSchema } from "./load-balancers";

export const MAX_POOL_MEMBERS = 64;

export const POOL_DEFAULTS = {
  algorithm: "round_robin",
  weight: 1,
  healthCheck: { path: "/", intervalSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
} as const;

const ADDRESS_MESSAGE = "address must be an IP address (192.0.2.10, 2001:db8::1) or a host name (app.internal).";
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function isIPv6(text: string): boolean {
  if (!text.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  try {
    // The WHATWG URL parser knows IPv6 (with embedded IPv4); it runs the same in the browser and in Node.
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 address, or a host name (RFC 1123 labels, not all digits at the end: 10.0.0.300 is no name). */
export function isMemberAddress(text: string): boolean {
  if (IPV4.test(text) || isIPv6(text)) return true;
  if (text.length > 253) return false;
  const labels = text.replace(/\.$/, "").split(".");
  return labels.every((label) => HOST_LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1]);
}

const addressSchema = z.string({ message: ADDRESS_MESSAGE }).trim().refine(isMemberAddress, ADDRESS_MESSAGE);

const wholeIn = (what: string, min: number, max: number) => {
  const message = `${what} must be a whole number from ${min} to ${max}.`;
  return z.number({ message }).int(message).min(min, message).max(max, message);
};

export const weightSchema = wholeIn("weight", 1, 100);

export const poolMemberSchema = z.strictObject({
  address: addressSchema,
  port: portSchema,
  weight: weightSchema.default(POOL_DEFAULTS.weight),
});

export const poolMembersSchema = z
  .array(poolMemberSchema, { message: "members must be a list of { address, port, weight }." })
  .max(MAX_POOL_MEMBERS, `A pool has at most ${MAX_POOL_MEMBERS} members; split the backends over several pools.`)
  .superRefine((members, ctx) => {
    const seen = new Set<string>();
    members.forEach((member, index) => {
      const key = memberKey({ address: member.address.toLowerCase(), port: member.port });
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: [index, "address"], message: `${key} is listed twice; list each member once.` });
      }
      seen.add(key);
    });
  });

export const algorithmSchema = z.enum(POOL_ALGORITHMS, { message: "algorithm must be round_robin or least_connections." });

const healthCheckPathSchema = z
  .string({ message: 'path must start with "/", e.g. /healthz.' })
  .regex(/^\/[^\s]*$/, 'path must start with "/" and hold no spaces, e.g. /healthz.')
  .max(1024, "path must be at most 1024 characters.");

const healthCheckFields = {
  path: healthCheckPathSchema,
  intervalSeconds: wholeIn("intervalSeconds", 1, 300),
  healthyThreshold: wholeIn("healthyThreshold", 1, 10),
  unhealthyThreshold: wholeIn("unhealthyThreshold", 1, 10),
};

/** On create, every field left out takes its default. */
export const healthCheckSchema = z.strictObject({
  path: healthCheckFields.path.default(POOL_DEFAULTS.healthCheck.path),
  intervalSeconds: healthCheckFields.intervalSeconds.default(POOL_DEFAULTS.healthCheck.intervalSeconds),
  healthyThreshold: healthCheckFields.healthyThreshold.default(POOL_DEFAULTS.healthCheck.healthyThreshold),
  unhealthyThreshold: healthCheckFields.unhealthyThreshold.default(POOL_DEFAULTS.healthCheck.unhealthyThreshold),
});

export const poolCreateSchema = z.strictObject({
  name: resourceNameSchema,
  algorithm: algorithmSchema.default(POOL_DEFAULTS.algorithm),
  members: poolMembersSchema.default([]),
  healthCheck: healthCheckSchema.default({ ...POOL_DEFAULTS.healthCheck }),
});
export type PoolCreateInput = z.infer<typeof poolCreateSchema>;

/** In a PATCH, fields left out keep their values; `members` replaces the whole list. */
export const poolPatchSchema = z.strictObject({
  name: resourceNameSchema.optional(),
  algorithm: algorithmSchema.optional(),
  members: poolMembersSchema.optional(),
  healthCheck: z
    .strictObject({
      path: healthCheckFields.path.optional(),
      intervalSeconds: healthCheckFields.intervalSeconds.optional(),
      healthyThreshold: healthCheckFields.healthyThreshold.optional(),
      unhealthyThreshold: healthCheckFields.unhealthyThreshold.optional(),
    })
    .optional(),
});
export type PoolPatchInput = z.infer<typeof poolPatchSchema>;

// The pool dialog's values: numbers typed as text, turned into numbers (Number()) before they are sent.
const wholeText = (what: string, min: number, max: number) => {
  const message = `${what} must be a whole number from ${min} to ${max}.`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, message)
    .refine((v) => Number(v) >= min && Number(v) <= max, message);
};

export const poolFormSchema = z
  .object({
    name: resourceNameSchema,
    algorithm: algorithmSchema,
    members: z
      .array(
        z.object({
          address: z.string().trim().refine(isMemberAddress, "Enter an IP address or a host name."),
          port: wholeText("Port", 1, 65535),
          weight: wholeText("Weight", 1, 100),
        }),
      )
      .max(MAX_POOL_MEMBERS, `A pool has at most ${MAX_POOL_MEMBERS} members.`),
    healthCheckPath: healthCheckPathSchema,
    intervalSeconds: wholeText("Interval", 1, 300),
    healthyThreshold: wholeText("Healthy threshold", 1, 10),
    unhealthyThreshold: wholeText("Unhealthy threshold", 1, 10),
  })
  .superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.members.forEach((member, index) => {
      const key = `${member.address.trim().toLowerCase()}:${member.port.trim()}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["members", index, "address"], message: "This address and port are listed already." });
      seen.add(key);
    });
  });
export type PoolFormValues = z.infer<typeof poolFormSchema>;

/** The API body a filled-in pool dialog sends. */
export function poolInputFromForm(values: PoolFormValues) {
  return {
    name: values.name,
    algorithm: values.algorithm,
    members: values.members.map((m) => ({ address: m.address.trim(), port: Number(m.port), weight: Number(m.weight) })),
    healthCheck: {
      path: values.healthCheckPath,
      intervalSeconds: Number(values.intervalSeconds),
      healthyThreshold: Number(values.healthyThreshold),
      unhealthyThreshold: Number(values.unhealthyThreshold),
    },
  };
}
