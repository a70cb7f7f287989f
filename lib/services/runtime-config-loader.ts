// Turns the stored listeners (with their certificates, default pools and CRLs in force) into the
// data plane's runtime configuration, reading again only what changed since the last load.
//
// A reload runs after every save, on every node, whatever the number of listeners; re-reading all of
// them (and unsealing every private key) made one change cost O(listeners). So the loader remembers
// what it built: each load first reads light columns (listener and pool id + version + updated_at,
// certificate id + content digest, CRL summaries), then the full rows of what changed only, and
// rebuilds the listeners those rows feed. An unchanged listener is returned as the SAME object as
// last time, which lets apply() skip it without comparing anything (lib/dataplane/types.ts).
//
// Torn reads are harmless: a row is remembered with the version read *with* it, never with one read
// earlier, so a change committed during a load is found by the next one (the config revision a
// change bumps makes sure there is a next one).
import crypto from "node:crypto";
import type { ClientAuthRuntime, ListenerRuntimeConfig } from "../dataplane";
import type { PoolRuntimeConfig } from "../dataplane/types";
import { splitPemCertificates } from "../pki/pem";
import { findCertificatesByIds, listCertificateDigests, type CertificateRow } from "../store/certificates-repo";
import { findCrlDers, listCrlSummaries } from "../store/crls-repo";
import { findListenersByIds, listListenerStamps, type ListenerRecord } from "../store/listeners-repo";
import { findPoolsByIds, listPoolStamps, type PoolRecord } from "../store/pools-repo";
import { crlsInForce } from "./crls-in-force";
import type { Db } from "../store/database";
import type { Runtime } from "./runtime";
import { poolSettings } from "./views";

export interface RuntimeConfigLoader {
  /**
   * Every listener's configuration as the store has it now, in port order. A listener whose rows
   * (listener, certificates, pool, CRLs in force) did not change is the object the previous load
   * returned; callers must not modify the objects. `full`: forget everything and read it all again
   * (the periodic resync, in case a row changed without what the loader compares).
   * Loads run one at a time, in call order.
   */
  load(options?: { full?: boolean }): Promise<ListenerRuntimeConfig[]>;
}

type Source = Pick<Runtime, "store" | "sealer" | "settings">;

/** A certificate a listener refers to, with what listeners derive from it (each worked out once). */
interface KnownCertificate {
  readonly row: CertificateRow;
  privateKeyPem?: string;
  caCertificatesPem?: string[];
  der?: Buffer;
}

/** The CRLs in force of one Client CA: their ids (in order) tell whether they changed. */
interface CrlSet {
  readonly key: string;
  readonly ders: Buffer[];
}

const stampOf = (row: { version: number; updated_at: string }) => `${row.version}|${row.updated_at}`;

export function createRuntimeConfigLoader(source: Source): RuntimeConfigLoader {
  const db = source.store.db;
  let listeners = new Map<string, ListenerRecord>();
  let certificates = new Map<string, KnownCertificate>();
  let pools = new Map<string, { stamp: string; config: PoolRuntimeConfig }>();
  let crlSets = new Map<string, CrlSet>();
  let crlDers = new Map<string, Buffer>();
  let configs = new Map<string, ListenerRuntimeConfig>();

  const forget = () => {
    listeners = new Map();
    certificates = new Map();
    pools = new Map();
    crlSets = new Map();
    crlDers = new Map();
    configs = new Map();
  };

  async function loadChanges(): Promise<ListenerRuntimeConfig[]> {
    const [listenerStamps, poolStamps, certificateDigests] = await Promise.all([listListenerStamps(db), listPoolStamps(db), listCertificateDigests(db)]);

    // 1. Listeners: the new and changed ones read whole; the deleted ones forgotten.
    const stillThere = new Set(listenerStamps.map((row) => row.id));
    for (const id of listeners.keys()) if (!stillThere.has(id)) listeners.delete(id);
    const changedListeners = new Set<string>();
    for (const row of listenerStamps) {
      const known = listeners.get(row.id);
      if (!known || stampOf(known) !== stampOf(row)) changedListeners.add(row.id);
    }
    const read = await findListenersByIds(db, [...changedListeners]);
    // Deleted between the two reads: gone now, as the next load will confirm.
    for (const id of changedListeners) listeners.delete(id);
    for (const record of read) listeners.set(record.id, record);

    // 2. Certificates: a changed or deleted one is read again, with its key unsealed again.
    const digests = new Map(certificateDigests.map((row) => [row.id, row.content_digest]));
    const changedCertificates = new Set<string>();
    for (const [id, known] of certificates) {
      if (digests.get(id) !== known.row.content_digest) {
        certificates.delete(id);
        changedCertificates.add(id);
      }
    }
    const usedCertificates = new Set<string>();
    for (const l of listeners.values()) {
      for (const id of [l.certificate_id, l.client_ca_certificate_id, ...l.trusted_certificate_ids]) if (id) usedCertificates.add(id);
    }
    for (const id of certificates.keys()) if (!usedCertificates.has(id)) certificates.delete(id);
    const missing = [...usedCertificates].filter((id) => !certificates.has(id));
    for (const row of await findCertificatesByIds(db, missing)) certificates.set(row.id, { row });
    for (const id of missing) changedCertificates.add(id);

    // 3. Pools: only those some listener forwards to, read again when their version moved.
    const poolVersions = new Map(poolStamps.map((row) => [row.id, stampOf(row)]));
    const usedPools = new Set<string>();
    for (const l of listeners.values()) if (l.default_pool_id) usedPools.add(l.default_pool_id);
    const changedPools = new Set<string>();
    for (const [id, known] of pools) {
      if (!usedPools.has(id) || poolVersions.get(id) !== known.stamp) {
        pools.delete(id);
        changedPools.add(id);
      }
    }
    const poolsToRead = [...usedPools].filter((id) => !pools.has(id));
    for (const record of await findPoolsByIds(db, poolsToRead)) pools.set(record.id, { stamp: stampOf(record), config: toPoolRuntime(record) });
    for (const id of poolsToRead) changedPools.add(id);

    // 4. CRLs in force of the Client CAs in use: summaries always (no DER), DER only for new ones.
    const clientCas = new Set<string>();
    for (const l of listeners.values()) if (l.client_auth_enabled === 1 && l.client_ca_certificate_id) clientCas.add(l.client_ca_certificate_id);
    const changedCrlSets = await refreshCrlSets(clientCas);

    // 5. The configurations: rebuilt where something they are made of changed, else the same object.
    const next = new Map<string, ListenerRuntimeConfig>();
    for (const { id } of listenerStamps) {
      const listener = listeners.get(id);
      if (!listener) continue;
      const previous = configs.get(id);
      const pool = listener.default_pool_id ? (pools.get(listener.default_pool_id)?.config ?? null) : null;
      let config: ListenerRuntimeConfig;
      if (!previous || changedListeners.has(id) || usesAny(listener, changedCertificates) || (listener.client_auth_enabled === 1 && changedCrlSets.has(listener.client_ca_certificate_id ?? ""))) {
        config = { ...toRuntimeConfig(listener), pool };
      } else if (listener.default_pool_id && changedPools.has(listener.default_pool_id)) {
        // Only the pool changed: the TLS part (and its unsealed key) is reused as it is.
        config = { ...previous, pool };
      } else {
        config = previous;
      }
      next.set(id, config);
    }
    configs = next;
    return [...next.values()];
  }

  /** Brings crlSets up to date for these CAs; returns the CAs whose CRLs in force changed. */
  async function refreshCrlSets(clientCas: Set<string>): Promise<Set<string>> {
    const summaries = await listCrlSummaries(db, [...clientCas]);
    const inForce = crlsInForce(summaries);
    const idsByCa = new Map<string, string[]>();
    for (const row of summaries) if (inForce.has(row.id)) idsByCa.set(row.certificate_id, [...(idsByCa.get(row.certificate_id) ?? []), row.id]);

    const changed = new Set<string>();
    for (const id of crlSets.keys()) if (!clientCas.has(id)) crlSets.delete(id);
    const needed = new Set<string>();
    for (const ca of clientCas) {
      const ids = idsByCa.get(ca) ?? [];
      if (crlSets.get(ca)?.key !== ids.join(",")) {
        changed.add(ca);
        for (const id of ids) needed.add(id);
      }
    }
    const toRead = [...needed].filter((id) => !crlDers.has(id));
    for (const [id, der] of await findCrlDers(db, toRead)) crlDers.set(id, der);
    for (const ca of changed) {
      // A CRL deleted between the two reads is left out; the next load has the truth.
      const ids = (idsByCa.get(ca) ?? []).filter((id) => crlDers.has(id));
      crlSets.set(ca, { key: ids.join(","), ders: ids.map((id) => crlDers.get(id)!) });
    }
    const used = new Set([...crlSets.values()].flatMap((set) => set.key.split(",")));
    for (const id of crlDers.keys()) if (!used.has(id)) crlDers.delete(id);
    return changed;
  }

  function toRuntimeConfig(listener: ListenerRecord): ListenerRuntimeConfig {
    const base = { id: listener.id, name: listener.name, protocol: listener.protocol, host: source.settings.dataplaneHost, port: listener.port };
    if (listener.protocol === "HTTP") return { ...base, tls: null };
    const server = listener.certificate_id ? certificates.get(listener.certificate_id) : undefined;
    return { ...base, tls: { certificateChainPem: server?.row.pem ?? "", privateKeyPem: server ? privateKeyOf(server) : "", clientAuth: clientAuthOf(listener) } };
  }

  /** Unsealed once per certificate (listeners sharing it share the text), and again only when it changes. */
  function privateKeyOf(known: KnownCertificate): string {
    if (known.privateKeyPem === undefined) {
      known.privateKeyPem = "";
      if (known.row.private_key_sealed) {
        try {
          known.privateKeyPem = source.sealer.open(known.row.private_key_sealed, known.row.id);
        } catch {
          // Left empty: the endpoint then reports it cannot load the key, the others keep serving.
        }
      }
    }
    return known.privateKeyPem;
  }

  function clientAuthOf(listener: ListenerRecord): ClientAuthRuntime {
    return clientAuthRuntimeOf(listener, certificates, (caId) => crlSets.get(caId)?.ders ?? []);
  }

  let tail: Promise<unknown> = Promise.resolve();
  return {
    load(options = {}) {
      const run = tail.then(async () => {
        if (options.full) forget();
        try {
          return await loadChanges();
        } catch (error) {
          // Half-updated memory could hide a change from the next load: start over then.
          forget();
          throw error;
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

function usesAny(listener: ListenerRecord, certificateIds: Set<string>): boolean {
  if (certificateIds.size === 0) return false;
  return [listener.certificate_id, listener.client_ca_certificate_id, ...listener.trusted_certificate_ids].some((id) => id !== null && certificateIds.has(id));
}

function toPoolRuntime(pool: PoolRecord): PoolRuntimeConfig {
  const { name, algorithm, members, healthCheck } = poolSettings(pool);
  return { id: pool.id, name, algorithm, members, healthCheck };
}

/** A listener's Client CA settings as the data plane takes them, from its certificates and its CA's CRLs in force. */
function clientAuthRuntimeOf(listener: ListenerRecord, certificates: ReadonlyMap<string, KnownCertificate>, crlsOfCa: (caId: string) => Buffer[]): ClientAuthRuntime {
  if (listener.client_auth_enabled !== 1) return { enabled: false, caCertificatesPem: [], pinnedCertificatesDer: [] };
  const ca = listener.client_ca_certificate_id ? certificates.get(listener.client_ca_certificate_id) : undefined;
  return {
    enabled: true,
    mode: listener.client_auth_mode,
    caCertificatesPem: ca ? (ca.caCertificatesPem ??= splitPemCertificates(ca.row.pem)) : [],
    pinnedCertificatesDer: listener.trusted_certificate_ids
      .map((id) => certificates.get(id))
      .filter((c): c is KnownCertificate => c !== undefined)
      .map((c) => (c.der ??= new crypto.X509Certificate(c.row.pem).raw)),
    crlsDer: ca ? crlsOfCa(ca.row.id) : [],
  };
}

/**
 * The Client CA settings a listener record would be served with, read from the store for this one
 * record (the impact preview's proposed settings, never saved): exactly what the loader builds.
 */
export async function loadClientAuthRuntime(db: Db, listener: ListenerRecord): Promise<ClientAuthRuntime> {
  if (listener.client_auth_enabled !== 1) return clientAuthRuntimeOf(listener, new Map(), () => []);
  const ids = [listener.client_ca_certificate_id, ...listener.trusted_certificate_ids].filter((id): id is string => id !== null);
  const certificates = new Map((await findCertificatesByIds(db, ids)).map((row): [string, KnownCertificate] => [row.id, { row }]));
  const caId = listener.client_ca_certificate_id;
  let crls: Buffer[] = [];
  if (caId && certificates.has(caId)) {
    const summaries = await listCrlSummaries(db, [caId]);
    const inForce = crlsInForce(summaries);
    const ders = await findCrlDers(db, summaries.filter((row) => inForce.has(row.id)).map((row) => row.id));
    crls = [...ders.values()];
  }
  return clientAuthRuntimeOf(listener, certificates, () => crls);
}
