// Turns the stored listeners (with their default pools) into the data plane's runtime configuration and applies it.
// Called after every committed change, before the API answers, so a saved change is
// enforced on new connections by the time the user sees "Saved".
import crypto from "node:crypto";
import type { ClientAuthRuntime, ListenerRuntimeConfig } from "../dataplane";
import type { PoolRuntimeConfig } from "../dataplane/types";
import { splitPemCertificates } from "../pki/pem";
import { findCertificatesByIds, type CertificateRow } from "../store/certificates-repo";
import { findCrlDers, listCrlSummaries } from "../store/crls-repo";
import type { Db } from "../store/database";
import { listAllListeners, type ListenerRecord } from "../store/listeners-repo";
import { findPoolsByIds, type PoolRecord } from "../store/pools-repo";
import { crlsInForce } from "./crls-in-force";
import type { Runtime } from "./runtime";
import { poolSettings } from "./views";

export async function loadRuntimeConfigs(rt: Pick<Runtime, "store" | "sealer" | "settings">): Promise<ListenerRuntimeConfig[]> {
  const listeners = await listAllListeners(rt.store.db);
  const ids = new Set<string>();
  for (const l of listeners) {
    for (const id of [l.certificate_id, l.client_ca_certificate_id, ...l.trusted_certificate_ids]) if (id) ids.add(id);
  }
  const certificates = new Map((await findCertificatesByIds(rt.store.db, [...ids])).map((c) => [c.id, c]));
  const poolIds = [...new Set(listeners.map((l) => l.default_pool_id).filter((id): id is string => id !== null))];
  const pools = new Map((await findPoolsByIds(rt.store.db, poolIds)).map((p) => [p.id, toPoolRuntime(p)]));
  const clientCaIds = listeners.filter((l) => l.client_auth_enabled === 1 && l.client_ca_certificate_id).map((l) => l.client_ca_certificate_id!);
  const crls = await crlsInForceByCertificate(rt.store.db, clientCaIds);
  return listeners.map((listener) => ({
    ...toRuntimeConfig(rt, listener, certificates, crls),
    pool: listener.default_pool_id ? (pools.get(listener.default_pool_id) ?? null) : null,
  }));
}

function toPoolRuntime(pool: PoolRecord): PoolRuntimeConfig {
  const { name, algorithm, members, healthCheck } = poolSettings(pool);
  return { id: pool.id, name, algorithm, members, healthCheck };
}

/** The DER of the CRLs in force of each of these CA certificates (read once even when listeners share a CA). */
async function crlsInForceByCertificate(db: Db, certificateIds: string[]): Promise<Map<string, Buffer[]>> {
  const summaries = await listCrlSummaries(db, [...new Set(certificateIds)]);
  const inForceIds = crlsInForce(summaries);
  const inForce = summaries.filter((row) => inForceIds.has(row.id));
  const ders = await findCrlDers(db, inForce.map((row) => row.id));
  const byCertificate = new Map<string, Buffer[]>();
  for (const row of inForce) {
    const der = ders.get(row.id);
    if (!der) continue; // deleted between the two reads: the next sync has the truth
    byCertificate.set(row.certificate_id, [...(byCertificate.get(row.certificate_id) ?? []), der]);
  }
  return byCertificate;
}

function toRuntimeConfig(
  rt: Pick<Runtime, "sealer" | "settings">,
  listener: ListenerRecord,
  certificates: Map<string, CertificateRow>,
  crls: Map<string, Buffer[]>,
): ListenerRuntimeConfig {
  const base = { id: listener.id, name: listener.name, protocol: listener.protocol, host: rt.settings.dataplaneHost, port: listener.port };
  if (listener.protocol === "HTTP") return { ...base, tls: null };

  const server = listener.certificate_id ? certificates.get(listener.certificate_id) : undefined;
  let privateKeyPem = "";
  if (server?.private_key_sealed) {
    try {
      privateKeyPem = rt.sealer.open(server.private_key_sealed, server.id);
    } catch {
      // Left empty: the endpoint then reports it cannot load the key, the others keep serving.
    }
  }
  return { ...base, tls: { certificateChainPem: server?.pem ?? "", privateKeyPem, clientAuth: clientAuthOf(listener, certificates, crls) } };
}

function clientAuthOf(listener: ListenerRecord, certificates: Map<string, CertificateRow>, crls: Map<string, Buffer[]>): ClientAuthRuntime {
  if (listener.client_auth_enabled !== 1) return { enabled: false, caCertificatesPem: [], pinnedCertificatesDer: [] };
  const ca = listener.client_ca_certificate_id ? certificates.get(listener.client_ca_certificate_id) : undefined;
  return {
    enabled: true,
    mode: listener.client_auth_mode,
    caCertificatesPem: ca ? splitPemCertificates(ca.pem) : [],
    pinnedCertificatesDer: listener.trusted_certificate_ids
      .map((id) => certificates.get(id))
      .filter((c): c is CertificateRow => c !== undefined)
      .map((c) => new crypto.X509Certificate(c.pem).raw),
    crlsDer: ca ? (crls.get(ca.id) ?? []) : [],
  };
}

/** Applies what the store says now. A failure here never fails the saved change: the endpoint shows it. */
export async function syncDataplane(rt: Runtime): Promise<void> {
  try {
    await rt.dataplane.apply(await loadRuntimeConfigs(rt));
  } catch (error) {
    console.error(`[certgate] could not apply listeners to the data plane: ${(error as Error).message}`);
  }
}
