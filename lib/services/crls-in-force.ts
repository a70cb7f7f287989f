// Which uploaded CRLs apply: per CA certificate, the newest CRL of each issuer (the bundle
// certificate that signed it), by thisUpdate, then by upload time. Pure, so the API's view, the
// data plane sync and the expiry banner agree.

export interface CrlOrderFields {
  id: string;
  certificate_id: string;
  issuer_fingerprint_sha256: string;
  this_update: string;
  next_update: string | null;
  created_at: string;
}

/** The ids of the CRLs in force among `rows` (the CRLs of one or more certificates). */
export function crlsInForce<T extends CrlOrderFields>(rows: readonly T[]): Set<string> {
  const newest = new Map<string, T>();
  for (const row of rows) {
    const key = `${row.certificate_id}\0${row.issuer_fingerprint_sha256}`;
    const current = newest.get(key);
    if (!current || isNewer(row, current)) newest.set(key, row);
  }
  return new Set([...newest.values()].map((row) => row.id));
}

function isNewer(a: CrlOrderFields, b: CrlOrderFields): boolean {
  const byThisUpdate = Date.parse(a.this_update) - Date.parse(b.this_update);
  if (byThisUpdate !== 0) return byThisUpdate > 0;
  if (a.created_at !== b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

/** A CRL past its nextUpdate: still applied (the newest word of the CA), but the CA should issue a new one. */
export function isPastNextUpdate(row: Pick<CrlOrderFields, "next_update">, now: number = Date.now()): boolean {
  return row.next_update !== null && Date.parse(row.next_update) < now;
}
