// Turns an audit event's before/after snapshots into "field: old → new" lines a person reads.

import { memberKey } from "@/lib/dataplane/types";

type Snapshot = Record<string, unknown>;

function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (value === null || value === undefined) return prefix ? { [prefix]: "none" } : {};
  if (Array.isArray(value)) return { [prefix]: value.length ? value.map(listItem).join(", ") : "none" };
  if (typeof value === "object") {
    return Object.entries(value as Snapshot).reduce<Record<string, string>>(
      (acc, [key, inner]) => ({ ...acc, ...flatten(inner, prefix ? `${prefix}.${key}` : key) }),
      {},
    );
  }
  if (typeof value === "boolean") return { [prefix]: value ? "enabled" : "disabled" };
  return { [prefix]: String(value) };
}

/** A pool member reads as "10.0.0.5:8080 ×2" (address, port, weight); other list items as they are. */
function listItem(item: unknown): string {
  if (typeof item !== "object" || item === null) return String(item);
  const { address, port, weight } = item as { address: string; port: number; weight: number };
  return `${memberKey({ address: String(address), port })} ×${weight}`;
}

const LABELS: Record<string, string> = {
  name: "Name",
  port: "Port",
  protocol: "Protocol",
  certificateId: "Server certificate",
  "clientAuth.enabled": "Client CA",
  "clientAuth.mode": "Client certificate mode",
  "clientAuth.caCertificateId": "Client CA certificate",
  "clientAuth.trustedCertificateIds": "Trusted client certificates",
  defaultPoolId: "Default pool",
  algorithm: "Algorithm",
  members: "Members",
  "healthCheck.path": "Health check path",
  "healthCheck.intervalSeconds": "Health check interval (s)",
  "healthCheck.healthyThreshold": "Healthy threshold",
  "healthCheck.unhealthyThreshold": "Unhealthy threshold",
  username: "Username",
  role: "Role",
  status: "Status",
  clientCertificateAuth: "Client certificate sign-in",
};

export interface ChangeLine {
  label: string;
  before: string;
  after: string;
}

// defaultPoolId names a pool, not a certificate: it is shown as it is.
export const namesCertificates = (key: string) => key !== "defaultPoolId" && (key.endsWith("Id") || key.endsWith("Ids"));

/** A flattened value, its certificate ids turned into names. */
function named(key: string, value: string, names: (id: string) => string): string {
  return namesCertificates(key) ? value.split(", ").map((id) => (id === "none" ? id : names(id))).join(", ") : value;
}

/** The certificate ids an event's before/after snapshots mention, to look their names up. */
export function certificateIdsInChange(details: Record<string, unknown>): string[] {
  const ids = [flatten(details.before), flatten(details.after)].flatMap((snapshot) =>
    Object.entries(snapshot)
      .filter(([key, value]) => namesCertificates(key) && value !== "none")
      .flatMap(([, value]) => value.split(", ")),
  );
  return [...new Set(ids)];
}

/** Only the fields that differ; `names` turns certificate ids into their names where known. */
export function describeChange(details: Record<string, unknown>, names: (id: string) => string = (id) => id): ChangeLine[] {
  const before = flatten(details.before);
  const after = flatten(details.after);
  if (!details.before || !details.after) return [];
  return Object.keys({ ...before, ...after })
    .filter((key) => before[key] !== after[key])
    .map((key) => ({ label: LABELS[key] ?? key, before: named(key, before[key] ?? "none", names), after: named(key, after[key] ?? "none", names) }));
}

/** One setting (dotted, as the API names it: `clientAuth.caCertificateId`) from one value to another, read like describeChange's lines. */
export function describeSetting(field: string, before: unknown, after: unknown, names: (id: string) => string = (id) => id): ChangeLine {
  const show = (value: unknown) => named(field, flatten(value, field)[field] ?? "none", names);
  return { label: LABELS[field] ?? field, before: show(before), after: show(after) };
}

/** The certificate ids among settings' values (a revert's overwrites), to look their names up. */
export function certificateIdsInSettings(settings: { field: string; values: unknown[] }[]): string[] {
  return settings.flatMap(({ field, values }) =>
    namesCertificates(field) ? values.flat().filter((v): v is string => typeof v === "string" && v.length > 0) : [],
  );
}

const ACTION_LABELS: Record<string, string> = {
  "certificate.uploaded": "Certificate uploaded",
  "certificate.deleted": "Certificate deleted",
  "load_balancer.created": "Load balancer created",
  "load_balancer.deleted": "Load balancer deleted",
  "listener.created": "Listener created",
  "listener.updated": "Listener changed",
  "listener.client_ca_enabled": "Client CA enabled",
  "listener.client_ca_disabled": "Client CA disabled",
  "listener.reverted": "Change reverted",
  "listener.deleted": "Listener deleted",
  "pool.created": "Pool created",
  "pool.updated": "Pool changed",
  "pool.deleted": "Pool deleted",
  "user.created": "User created",
  "user.updated": "User changed",
  "user.password_changed": "Password changed",
  "user.deleted": "User deleted",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Sign-in failed",
  "user.signed_out": "Signed out",
  "user.client_certificate_bound": "Client certificate bound",
  "user.client_certificate_removed": "Client certificate removed",
  "api_token.created": "API token created",
  "api_token.revoked": "API token revoked",
  "dataplane_node.forgotten": "Data-plane node forgotten",
};

/** "Client CA enabled" for `listener.client_ca_enabled`; an action the console does not know reads as it is. */
export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? action;
