import { z } from "zod";

/** `?limit=` (default 50, max 500) and `?cursor=` on every list. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ message: "limit must be a whole number from 1 to 500." })
    .int("limit must be a whole number from 1 to 500.")
    .min(1, "limit must be a whole number from 1 to 500.")
    .max(500, "limit must be a whole number from 1 to 500.")
    .default(50),
  cursor: z.string().min(1).nullish().transform((v) => v ?? null),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const idSchema = z.string().min(1, "Pick one.").max(100);
