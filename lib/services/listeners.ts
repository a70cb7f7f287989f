// Listener use cases. Every rule of docs/api.md's clientAuth section is checked here, in the
// same transaction that writes, so the REST API and the console enforce the same thing.
import type { ClientAuthMode } from "../dataplane";
import type { Actor } from "../store/audit-repo";
import crypto from "node:crypto";
import { conflict, invalid, notFound, staleVersion } from "../errors";
import { listenerCreateSchema, listenerPatchSchema, type ListenerPatchInput } from "../schemas/listeners";
import { parseInput } from "../schemas/parse";
import { findCertificatesByIds } from "../store/certificates-repo";
import { isUniqueViolation, type Db } from "../store/database";
import {
  deleteListenerRow,
  findListener,
  findListenerByName,
  findListenerByPort,
  insertListener,
  updateListenerIfVersion,
  type ListenerRecord,
} from "../store/listeners-repo";
import { findLoadBalancer } from "../store/load-balancers-repo";
import { findPool } from "../store/pools-repo";
import { refuseTakenPort } from "./port-availability";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";
import { listenerSettings, toListenerView, type ListenerView } from "./views";

interface ClientAuthState {
  enabled: boolean;
  mode: ClientAuthMode;
  caCertificateId: string | null;
  trustedCertificateIds: string[];
}

export async function createListener(rt: Runtime, loadBalancerId: string, input: unknown, actor: Actor): Promise<ListenerView> {
  const parsed = parseInput(listenerCreateSchema, input);
  const now = new Date().toISOString();
  const clientAuth: ClientAuthState = parsed.clientAuth ?? { enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [] };
  const record: ListenerRecord = {
    id: crypto.randomUUID(),
    load_balancer_id: loadBalancerId,
    name: parsed.name,
    protocol: parsed.protocol,
    port: parsed.port,
    certificate_id: parsed.certificateId,
    client_auth_enabled: clientAuth.enabled ? 1 : 0,
    client_auth_mode: clientAuth.mode,
    client_ca_certificate_id: clientAuth.caCertificateId,
    trusted_certificate_ids: clientAuth.trustedCertificateIds,
    default_pool_id: parsed.defaultPoolId,
    version: 1,
    created_at: now,
    updated_at: now,
  };

  await writeGuarded(record, () =>
    commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
      if (!(await findLoadBalancer(trx, loadBalancerId))) throw notFound("This load balancer");
      await checkListener(trx, record);
      await refuseTakenPort(rt, record.port);
      await insertListener(trx, record);
      await audit({
        action: "listener.created",
        target: { type: "listener", id: record.id, name: record.name },
        details: { loadBalancerId, after: listenerSettings(record) },
      });
    }),
  );
  return toListenerView(record, rt.dataplane.status(record.id));
}

export async function getListener(rt: Runtime, id: string): Promise<ListenerView> {
  const record = await findListener(rt.store.db, id);
  if (!record) throw notFound("This listener");
  return toListenerView(record, rt.dataplane.status(id));
}

/**
 * Applies a partial change. `expectedVersion` (If-Match, or the version the form was
 * opened with) makes a second, stale Save fail with 409 instead of overwriting.
 */
export async function updateListener(
  rt: Runtime,
  id: string,
  input: unknown,
  expectedVersion: number | null,
  actor: Actor,
): Promise<ListenerView> {
  const patch = parseInput(listenerPatchSchema, input);
  return saveListenerChange(rt, id, actor, async (current) => {
    if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion("listener", current.version);
    return { patch };
  });
}

/** What a save decided to write, and, for a change that is not a plain edit (a revert), how it is audited. */
export interface ListenerChange {
  patch: ListenerPatchInput;
  recordAs?: { action: string; details: Record<string, unknown> };
}

/**
 * The one way a listener's settings are saved: `decide` reads the listener as stored, in the save's
 * own transaction, so nothing saved in between can be overwritten unseen (a save that commits after
 * that read still fails the version-guarded write with 409). Then the listener rules, the port probe,
 * the audit event and the data plane, as for every edit. A patch that changes nothing writes nothing.
 */
export async function saveListenerChange(
  rt: Runtime,
  id: string,
  actor: Actor,
  decide: (current: ListenerRecord) => Promise<ListenerChange>,
  missing: () => Error = () => notFound("This listener"),
): Promise<ListenerView> {
  const saved = await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
    const current = await findListener(trx, id);
    if (!current) throw missing();
    const { patch, recordAs } = await decide(current);

    const next = applyPatch(current, patch);
    if (sameSettings(current, next)) return current;
    next.version = current.version + 1;
    next.updated_at = new Date().toISOString();
    await checkListener(trx, next);
    // A listener keeping its port holds it itself: only a new port is probed.
    if (next.port !== current.port) await refuseTakenPort(rt, next.port);
    await writeGuarded(next, async () => {
      if (!(await updateListenerIfVersion(trx, next, current.version))) throw staleVersion("listener", current.version + 1);
    });
    await audit({
      action: recordAs?.action ?? auditActionFor(current, next),
      target: { type: "listener", id, name: next.name },
      details: { ...recordAs?.details, before: listenerSettings(current), after: listenerSettings(next) },
    });
    return next;
  });
  return toListenerView(saved, rt.dataplane.status(id));
}

export async function deleteListener(rt: Runtime, id: string, actor: Actor): Promise<void> {
  await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
    const current = await findListener(trx, id);
    if (!current) throw notFound("This listener");
    await deleteListenerRow(trx, id);
    await audit({
      action: "listener.deleted",
      target: { type: "listener", id, name: current.name },
      details: { before: listenerSettings(current) },
    });
  });
}

/** The record a PATCH would save (the impact preview judges it without saving). */
export function applyPatch(current: ListenerRecord, patch: ListenerPatchInput): ListenerRecord {
  const next: ListenerRecord = { ...current, trusted_certificate_ids: [...current.trusted_certificate_ids] };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.port !== undefined) next.port = patch.port;
  if (patch.certificateId !== undefined) next.certificate_id = patch.certificateId;
  if (patch.defaultPoolId !== undefined) next.default_pool_id = patch.defaultPoolId;
  const auth = patch.clientAuth;
  if (auth) {
    if (auth.enabled !== undefined) next.client_auth_enabled = auth.enabled ? 1 : 0;
    if (auth.mode !== undefined) next.client_auth_mode = auth.mode;
    if (auth.caCertificateId !== undefined) next.client_ca_certificate_id = auth.caCertificateId;
    if (auth.trustedCertificateIds !== undefined) next.trusted_certificate_ids = auth.trustedCertificateIds;
  }
  return next;
}

function sameSettings(a: ListenerRecord, b: ListenerRecord): boolean {
  return JSON.stringify(listenerSettings(a)) === JSON.stringify(listenerSettings(b));
}

function auditActionFor(before: ListenerRecord, after: ListenerRecord): string {
  if (before.client_auth_enabled !== after.client_auth_enabled) {
    return after.client_auth_enabled ? "listener.client_ca_enabled" : "listener.client_ca_disabled";
  }
  return "listener.updated";
}

/** docs/api.md's listener rules, checked against the stored certificates. */
export async function checkListener(db: Db, record: ListenerRecord): Promise<void> {
  const portOwner = await findListenerByPort(db, record.port);
  if (portOwner && portOwner.id !== record.id) {
    // Named with its load balancer: the other listener may live on a load balancer the user is not looking at.
    const owner = await findLoadBalancer(db, portOwner.load_balancer_id);
    throw conflict(
      `Port ${record.port} is already used by listener "${portOwner.name}" on load balancer "${owner?.name ?? "unknown"}"; choose another port.`,
      "port",
    );
  }
  const nameOwner = await findListenerByName(db, record.load_balancer_id, record.name);
  if (nameOwner && nameOwner.id !== record.id) {
    throw conflict(`A listener named "${record.name}" already exists on this load balancer; choose another name.`, "name");
  }

  if (record.default_pool_id) {
    const pool = await findPool(db, record.default_pool_id);
    if (!pool || pool.load_balancer_id !== record.load_balancer_id) {
      throw invalid(
        pool
          ? "The default pool belongs to another load balancer; pick a pool of this listener's load balancer, or none for the built-in echo."
          : "The default pool does not exist; pick a pool of this load balancer, or none for the built-in echo.",
        "defaultPoolId",
      );
    }
  }

  const referenced = [record.certificate_id, record.client_ca_certificate_id, ...record.trusted_certificate_ids].filter(
    (id): id is string => id !== null,
  );
  const certificates = new Map((await findCertificatesByIds(db, referenced)).map((c) => [c.id, c]));
  const kindOf = (id: string) => certificates.get(id)?.kind;

  if (record.protocol === "HTTP") {
    if (record.certificate_id) throw invalid("HTTP listeners take no server certificate; remove it or choose HTTPS.", "certificateId");
    if (record.client_auth_enabled || record.client_ca_certificate_id || record.trusted_certificate_ids.length > 0) {
      throw invalid("Client CA applies to HTTPS listeners only; choose HTTPS to require client certificates.", "clientAuth.enabled");
    }
    return;
  }

  if (!record.certificate_id) throw invalid("An HTTPS listener needs a server certificate; pick one.", "certificateId");
  if (kindOf(record.certificate_id) !== "server") {
    throw invalid("Pick a server certificate (one uploaded with its private key) for this HTTPS listener.", "certificateId");
  }
  if (record.client_ca_certificate_id && kindOf(record.client_ca_certificate_id) !== "ca") {
    throw invalid("The Client CA certificate must be a CA certificate; pick one from the CA list.", "clientAuth.caCertificateId");
  }
  for (const id of record.trusted_certificate_ids) {
    if (kindOf(id) !== "client") {
      throw invalid(
        "Trusted client certificates must be client certificates; pick them from the client certificate list.",
        "clientAuth.trustedCertificateIds",
      );
    }
  }
  if (record.client_auth_enabled && !record.client_ca_certificate_id && record.trusted_certificate_ids.length === 0) {
    throw invalid(
      "Enabling Client CA needs a CA certificate or at least one trusted client certificate; pick one.",
      "clientAuth.caCertificateId",
    );
  }
}

/** Turns a unique-constraint race (two creates on one port or name) into the 409 a user expects. */
async function writeGuarded(record: ListenerRecord, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const detail = String((error as Error).message ?? "");
    if (detail.includes("port")) throw conflict(`Port ${record.port} is already used by another listener; choose another port.`, "port");
    throw conflict(`A listener named "${record.name}" already exists on this load balancer; choose another name.`, "name");
  }
}
