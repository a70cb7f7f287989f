"use server";
// Personal API tokens from the console (lib/services/api-tokens.ts): any signed-in user makes and
// revokes their own. The secret is in the create answer once, as from the API.
import { runAction } from "@/lib/actions/run-action";
import { createApiToken, revokeApiToken } from "@/lib/services/api-tokens";

export async function createTokenAction(input: unknown) {
  return runAction("signed-in", (rt, caller) => createApiToken(rt, caller, input));
}

export async function revokeTokenAction(id: string) {
  return runAction("signed-in", async (rt, caller) => revokeApiToken(rt, caller, id));
}
