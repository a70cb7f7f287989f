// Who may do what. Pure and client-safe: the server decides with it (lib/auth/authorize.ts) and the
// console uses the same table to hide or disable what the signed-in role cannot do.

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/**
 * - read: see load balancers, listeners, certificates, activity, the data plane's state.
 * - operate: change load balancers, listeners and certificates.
 * - administer: manage users (and anyone's tokens and client certificates).
 * - signed-in: anything that concerns only the caller (their password, tokens, own certificates).
 */
export type Permission = "signed-in" | "read" | "operate" | "administer";

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["signed-in", "read", "operate", "administer"],
  operator: ["signed-in", "read", "operate"],
  viewer: ["signed-in", "read"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, users included",
  operator: "Load balancers, listeners and certificates",
  viewer: "Reads only",
};

/** Why `role` may not: the sentence the API's 403 and the console's disabled controls show. */
export function whyNot(role: Role, permission: Permission): string {
  if (permission === "administer") return `Only admins manage users; you are signed in as ${article(role)} ${role}.`;
  return `Your role (${role}) can only read; ask an admin for the operator role to change load balancers, listeners and certificates.`;
}

function article(role: Role): string {
  return role === "admin" || role === "operator" ? "an" : "a";
}
