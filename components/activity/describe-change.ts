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
const namesCertificates = (key: string) => key !== "defaultPoolId" && (key.endsWith("Id") || key.endsWith("Ids"));

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
  const nameOf = (key: string, v: string) => (namesCertificates(key) ? v.split(", ").map((id) => (id === "none" ? id : names(id))).join(", ") : v);
  return Object.keys({ ...before, ...after })
    .filter((key) => before[key] !== after[key])
    .map((key) => ({ label: LABELS[key] ?? key, before: nameOf(key, before[key] ?? "none"), after: nameOf(key, after[key] ?? "none") }));
}
