// API tokens read `cgt.<id>.<secret>`: the id finds the row, the secret is compared to its stored hash.
// The prefix lets secret scanners and people recognise a certgate token.
const PREFIX = "cgt";

export function formatToken(id: string, secret: string): string {
  return `${PREFIX}.${id}.${secret}`;
}

export function parseToken(token: string): { id: string; secret: string } | null {
  const [prefix, id, secret, ...rest] = token.split(".");
  if (prefix !== PREFIX || !id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null;
  return { id, secret };
}
