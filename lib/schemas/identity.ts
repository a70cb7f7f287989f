// Input shapes of sign-in, users and API tokens (docs/api.md "Identity").
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-rules";
import { ROLES } from "../auth/roles";

export const usernameRule = "Use 1 to 64 letters, digits, dots, hyphens, underscores or @, starting with a letter or digit.";
export const passwordRule = `Use ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`;
const roleRule = `Choose one of: ${ROLES.join(", ")}.`;

export const usernameSchema = z
  .string({ message: usernameRule })
  .trim()
  .min(1, usernameRule)
  .max(64, usernameRule)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, usernameRule);

export const passwordSchema = z.string({ message: passwordRule }).min(MIN_PASSWORD_LENGTH, passwordRule).max(MAX_PASSWORD_LENGTH, passwordRule);
export const roleSchema = z.enum(ROLES, { message: roleRule });

/** Sign-in reads any strings: the shape of a wrong username must not answer differently. */
export const signInSchema = z.strictObject({
  username: z.string({ message: "Enter your username." }).max(256, "Enter your username."),
  password: z.string({ message: "Enter your password." }).max(MAX_PASSWORD_LENGTH, "Enter your password."),
});

export const userCreateSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
  disabled: z.boolean().optional(),
  clientCertificateAuth: z.boolean().optional(),
});
export type UserCreateInput = z.infer<typeof userCreateSchema>;

export const userPatchSchema = z.strictObject({
  username: usernameSchema.optional(),
  password: passwordSchema.optional(),
  /** Required to change your own password, unless your console session signed in within the last 10 minutes. */
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH).optional(),
  role: roleSchema.optional(),
  disabled: z.boolean({ message: "disabled is true or false." }).optional(),
  clientCertificateAuth: z.boolean({ message: "clientCertificateAuth is true or false." }).optional(),
});
export type UserPatchInput = z.infer<typeof userPatchSchema>;

export const MAX_TOKEN_DAYS = 365;
const expiryRule = `Choose an expiry from 1 to ${MAX_TOKEN_DAYS} days.`;
export const tokenCreateSchema = z.strictObject({
  name: z.string({ message: "Name the token, e.g. after the script that uses it." }).trim().min(1, "Name the token, e.g. after the script that uses it.").max(64, "Use at most 64 characters."),
  expiresInDays: z.number({ message: expiryRule }).int(expiryRule).min(1, expiryRule).max(MAX_TOKEN_DAYS, expiryRule),
});
export type TokenCreateInput = z.infer<typeof tokenCreateSchema>;
