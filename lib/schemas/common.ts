import { z } from "zod";

/** `?limit=` (default 50, max 500) and `?cursor=` on every list. */
// Query strings are text: `limit` must be plain decimal digits ("0x10", " 5" or "1e2" are refused).
export const pageQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,6}$/, "limit must be a whole number from 1 to 500.")
    .transform(Number)
    .pipe(z.number().int().min(1, "limit must be a whole number from 1 to 500.").max(500, "limit must be a whole number from 1 to 500."))
    .default(50),
  cursor: z.string().min(1).nullish().transform((v) => v ?? null),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const idSchema = z.string().min(1, "Pick one.").max(100);

/** What an Activity event can be about. */
export const AUDIT_TARGET_TYPES = ["certificate", "load_balancer", "listener", "pool", "user", "api_token", "dataplane_node"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
