import { z } from "zod";

/**
 * The audit actions "Revert this change" applies to: changes of a listener's settings, a revert
 * included (reverting it restores what it replaced). Client-safe: the console shows the button
 * on these only, and the server refuses the rest.
 */
export const REVERTABLE_ACTIONS = ["listener.updated", "listener.client_ca_enabled", "listener.client_ca_disabled", "listener.reverted"] as const;

export const isRevertable = (action: string): boolean => (REVERTABLE_ACTIONS as readonly string[]).includes(action);

/** POST /audit-events/{id}/revert's body; left out, it is `{}`. */
export const revertRequestSchema = z.strictObject({
  confirmOverwrite: z
    .boolean({ message: "confirmOverwrite must be true or false." })
    .optional()
    .describe("true: revert even where the listener changed since, overwriting what the 409 listed (send If-Match with its listenerVersion)."),
});
