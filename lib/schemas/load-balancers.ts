import { z } from "zod";

export const resourceNameRule =
  "Use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.";

export const resourceNameSchema = z
  .string({ message: resourceNameRule })
  .trim()
  .min(1, resourceNameRule)
  .max(63, resourceNameRule)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, resourceNameRule);

export const loadBalancerCreateSchema = z.strictObject({ name: resourceNameSchema });
export type LoadBalancerCreateInput = z.infer<typeof loadBalancerCreateSchema>;
