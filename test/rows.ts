// Store rows for the repository tests, with defaults a test overrides where it matters.
import type { ListenerRecord } from "../lib/store/listeners-repo";

export function listenerRecord(id: string, port: number, overrides: Partial<ListenerRecord> = {}): ListenerRecord {
  const now = new Date().toISOString();
  return {
    id,
    load_balancer_id: "lb1",
    name: `l-${id}`,
    protocol: "HTTPS",
    port,
    certificate_id: null,
    client_auth_enabled: 0,
    client_auth_mode: "required",
    client_ca_certificate_id: null,
    trusted_certificate_ids: [],
    default_pool_id: null,
    version: 1,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}
