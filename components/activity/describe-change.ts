// Turns an audit event's before/after snapshots into "field: old → new" lines a person reads.

type Snapshot = Record<string, unknown>;

function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (value === null || value === undefined) return prefix ? { [prefix]: "none" } : {};
  if (Array.isArray(value)) return { [prefix]: value.length ? value.join(", ") : "none" };
  if (typeof value === "object") {
    return Object.entries(value as Snapshot).reduce<Record<string, string>>(
      (acc, [key, inner]) => ({ ...acc, ...flatten(inner, prefix ? `${prefix}.${key}` : key) }),
      {},
    );
  }
  if (typeof value === "boolean") return { [prefix]: value ? "enabled" : "disabled" };
  return { [prefix]: String(value) };
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

const namesCertificates = (key: string) => key.endsWith("Id") || key.endsWith("Ids");

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
