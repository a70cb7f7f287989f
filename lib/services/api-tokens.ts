// Personal API tokens (docs/api.md "API tokens"): made by a user for scripts, shown once, stored as
// a hash, acting as that user with that user's role until they expire or are revoked.
import crypto from "node:crypto";
import type { Caller } from "../auth/caller";
import { can } from "../auth/roles";
import { digest, newSecret } from "../auth/secrets";
import { formatToken } from "../auth/token-format";
import { notFound } from "../errors";
import { parseInput } from "../schemas/parse";
import { tokenCreateSchema } from "../schemas/identity";
import { deleteApiTokenRow, findApiToken, insertApiToken, listApiTokensOfUser, type ApiTokenRow } from "../store/api-tokens-repo";
import { findUser } from "../store/users-repo";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function toView(row: ApiTokenRow): ApiTokenView {
  return { id: row.id, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

export async function listApiTokens(rt: Runtime, caller: Caller): Promise<{ items: ApiTokenView[]; nextCursor: null }> {
  return { items: (await listApiTokensOfUser(rt.store.db, caller.userId)).map(toView), nextCursor: null };
}

/** The token's secret is in the answer once; afterwards only its hash exists. */
export async function createApiToken(rt: Runtime, caller: Caller, input: unknown): Promise<ApiTokenView & { token: string }> {
  const { name, expiresInDays } = parseInput(tokenCreateSchema, input);
  const now = new Date();
  const secret = newSecret();
  const row: ApiTokenRow = {
    id: crypto.randomUUID(),
    user_id: caller.userId,
    name,
    secret_hash: digest(secret),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + expiresInDays * DAY_MS).toISOString(),
    last_used_at: null,
  };
  await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
    await insertApiToken(trx, row);
    await audit({
      action: "api_token.created",
      target: { type: "api_token", id: row.id, name },
      details: { user: caller.username, expiresAt: row.expires_at },
    });
  });
  return { ...toView(row), token: formatToken(row.id, secret) };
}

/** Revokes at once: the next request with the token is a 401. Admins may revoke anyone's. */
export async function revokeApiToken(rt: Runtime, caller: Caller, id: string): Promise<void> {
  await commitChange(rt, { actor: caller.actor }, async ({ trx, audit }) => {
    const row = await findApiToken(trx, id);
    if (!row || (row.user_id !== caller.userId && !can(caller.role, "administer"))) throw notFound("This API token");
    const owner = row.user_id === caller.userId ? caller.username : (await findUser(trx, row.user_id))?.username;
    await deleteApiTokenRow(trx, id);
    await audit({ action: "api_token.revoked", target: { type: "api_token", id, name: row.name }, details: { user: owner } });
  });
}
