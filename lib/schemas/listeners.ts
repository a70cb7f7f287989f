import { z } from "zod";
import { CLIENT_AUTH_MODES, type ClientAuthMode } from "../dataplane/types";
import { idSchema } from "./common";
import { resourceNameSchema } from "./load-balancers";

export const MAX_TRUSTED_CERTIFICATES = 5;

export const protocolSchema = z.enum(["HTTP", "HTTPS"], { message: "Protocol must be HTTP or HTTPS." });

// A JSON number, never coerced: "443", "0x1bb", [443] or true are not ports.
export const portSchema = z
  .number({ message: "Port must be a whole number from 1 to 65535." })
  .int("Port must be a whole number from 1 to 65535.")
  .min(1, "Port must be a whole number from 1 to 65535.")
  .max(65535, "Port must be a whole number from 1 to 65535.");

const trustedIdsSchema = z
  .array(idSchema)
  .max(MAX_TRUSTED_CERTIFICATES, `Pick at most ${MAX_TRUSTED_CERTIFICATES} trusted client certificates.`)
  .refine((ids) => new Set(ids).size === ids.length, "Each trusted client certificate can be picked once.");

export const clientAuthModeSchema = z
  .enum(CLIENT_AUTH_MODES, { message: "mode must be required, optional or report." })
  .describe(
    "required: clients without a valid certificate are refused. optional: every client is let in; the verdict is passed on in X-Client-Cert-Verify. report: as optional, and connections required would refuse are logged as would_reject.",
  );

export const clientAuthSchema = z.strictObject({
  enabled: z.boolean({ message: "enabled must be true or false." }),
  mode: clientAuthModeSchema.default("required"),
  caCertificateId: idSchema.nullish().transform((v) => v ?? null),
  trustedCertificateIds: trustedIdsSchema.default([]),
});

/** In a PATCH, fields left out keep their values. */
export const clientAuthPatchSchema = z.strictObject({
  enabled: z.boolean({ message: "enabled must be true or false." }).optional(),
  mode: clientAuthModeSchema.optional(),
  caCertificateId: idSchema.nullable().optional(),
  trustedCertificateIds: trustedIdsSchema.optional(),
});

export const listenerCreateSchema = z.strictObject({
  name: resourceNameSchema,
  protocol: protocolSchema,
  port: portSchema,
  certificateId: idSchema.nullish().transform((v) => v ?? null),
  clientAuth: clientAuthSchema.optional(),
  defaultPoolId: idSchema.nullish().transform((v) => v ?? null),
});
export type ListenerCreateInput = z.infer<typeof listenerCreateSchema>;

export const listenerPatchSchema = z.strictObject({
  name: resourceNameSchema.optional(),
  port: portSchema.optional(),
  certificateId: idSchema.nullable().optional(),
  clientAuth: clientAuthPatchSchema.optional(),
  defaultPoolId: idSchema.nullable().optional(),
});
export type ListenerPatchInput = z.infer<typeof listenerPatchSchema>;

const PORT_MESSAGE = "Port must be a whole number from 1 to 65535.";

/** A form's port: typed as text, turned into a number (portFromForm) before it is sent. */
const portFieldSchema = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, PORT_MESSAGE)
  .refine((v) => Number(v) >= 1 && Number(v) <= 65535, PORT_MESSAGE);

export const portFromForm = (value: string): number => Number(value.trim());

/** The Client CA fields both listener dialogs share; "" means "none" in the CA picker. */
const clientAuthFormFields = {
  clientAuthEnabled: z.boolean(),
  clientAuthMode: z.enum(CLIENT_AUTH_MODES),
  caCertificateId: z.string(),
  trustedCertificateIds: z
    .array(z.string())
    .max(MAX_TRUSTED_CERTIFICATES, `Pick at most ${MAX_TRUSTED_CERTIFICATES} trusted client certificates.`),
};
export type ClientAuthFormValues = {
  clientAuthEnabled: boolean;
  clientAuthMode: ClientAuthMode;
  caCertificateId: string;
  trustedCertificateIds: string[];
};

function requireTrustWhenEnabled(values: ClientAuthFormValues, ctx: z.RefinementCtx) {
  if (values.clientAuthEnabled && !values.caCertificateId && values.trustedCertificateIds.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["caCertificateId"],
      message: "Pick a CA certificate, or at least one trusted client certificate, to enable Client CA.",
    });
  }
}

/** The Edit listener dialog's values. */
export const listenerEditFormSchema = z
  .object({ name: resourceNameSchema, port: portFieldSchema, certificateId: z.string(), defaultPoolId: z.string(), ...clientAuthFormFields })
  .superRefine(requireTrustWhenEnabled);
export type ListenerEditFormValues = z.infer<typeof listenerEditFormSchema>;

/** The Create listener dialog's values. */
export const listenerCreateFormSchema = z
  .object({ name: resourceNameSchema, protocol: protocolSchema, port: portFieldSchema, certificateId: z.string(), defaultPoolId: z.string(), ...clientAuthFormFields })
  .superRefine((values, ctx) => {
    if (values.protocol === "HTTPS" && !values.certificateId) {
      ctx.addIssue({ code: "custom", path: ["certificateId"], message: "An HTTPS listener needs a server certificate; pick one." });
    }
    if (values.protocol === "HTTPS") requireTrustWhenEnabled(values, ctx);
  });
export type ListenerCreateFormValues = z.infer<typeof listenerCreateFormSchema>;
