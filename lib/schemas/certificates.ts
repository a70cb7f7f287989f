import { z } from "zod";

export const certificateKinds = ["ca", "client", "server"] as const;
export const certificateKindSchema = z.enum(certificateKinds, {
  message: "Type must be one of: ca (CA certificate), client (Client certificate), server (Server certificate).",
});
export type CertificateKindInput = z.infer<typeof certificateKindSchema>;

export const certificateKindLabels: Record<CertificateKindInput, string> = {
  ca: "CA certificate",
  client: "Client certificate",
  server: "Server certificate",
};

export const certificateNameSchema = z
  .string({ message: "Give the certificate a name." })
  .trim()
  .min(1, "Give the certificate a name.")
  .max(128, "Use at most 128 characters for the name.")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._\-()]*$/u, "Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.");

/** What every upload names, whichever form it comes in. */
export const certificateTargetSchema = z.object({ name: certificateNameSchema, kind: certificateKindSchema });

/** The JSON form of POST /api/v1/certificates. */
export const certificateUploadJsonSchema = z.strictObject({
  name: certificateNameSchema,
  kind: certificateKindSchema,
  certificate: z.string({ message: "Paste the certificate as PEM text or base64 of DER." }),
  privateKey: z.string().nullish(),
  passphrase: z.string().nullish(),
});

export const certificateListQuerySchema = z.object({ kind: certificateKindSchema.optional() });
