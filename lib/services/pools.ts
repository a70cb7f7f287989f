// Backend pool use cases (docs/api.md "Pools"). A pool change alters what the listeners forwarding
// to it serve, so every change bumps the config revision and reaches the data plane before the
// caller hears "Saved", like a listener's.
import crypto from "node:crypto";
import type { Actor } from "../store/audit-repo";
import { conflict, notFound, staleVersion } from "../errors";
import { poolCreateSchema, poolPatchSchema, type PoolPatchInput } from "../schemas/pools";
import { parseInput } from "../schemas/parse";
import { isUniqueViolation, type Db } from "../store/database";
import { findLoadBalancer } from "../store/load-balancers-repo";
import {
  deletePoolRow,
  findPool,
  findPoolByName,
  insertPool,
  listenersUsingPools,
  listPoolsOf,
  updatePoolIfVersion,
  type PoolRecord,
} from "../store/pools-repo";
import { commitChange, type Change } from "./commit-change";
import type { Runtime } from "./runtime";
import { poolSettings, toPoolView, type PoolView } from "./views";

async function viewsOf(rt: Runtime, records: PoolRecord[]): Promise<PoolView[]> {
  const uses = await listenersUsingPools(rt.store.db, records.map((r) => r.id));
  return records.map((record) => toPoolView(record, rt.dataplane.poolHealth(record.id), uses.get(record.id) ?? []));
}

export async function listPools(rt: Runtime, loadBalancerId: string): Promise<{ items: PoolView[] }> {
  if (!(await findLoadBalancer(rt.store.db, loadBalancerId))) throw notFound("This load balancer");
  return { items: await viewsOf(rt, await listPoolsOf(rt.store.db, loadBalancerId)) };
}

export async function getPool(rt: Runtime, id: string): Promise<PoolView> {
  const record = await findPool(rt.store.db, id);
  if (!record) throw notFound("This pool");
  return (await viewsOf(rt, [record]))[0];
}

export async function createPool(rt: Runtime, loadBalancerId: string, input: unknown, actor: Actor): Promise<PoolView> {
  const parsed = parseInput(poolCreateSchema, input);
  const now = new Date().toISOString();
  const record: PoolRecord = {
    id: crypto.randomUUID(),
    load_balancer_id: loadBalancerId,
    name: parsed.name,
    algorithm: parsed.algorithm,
    members: parsed.members,
    health_check_path: parsed.healthCheck.path,
    health_check_interval_seconds: parsed.healthCheck.intervalSeconds,
    health_check_healthy_threshold: parsed.healthCheck.healthyThreshold,
    health_check_unhealthy_threshold: parsed.healthCheck.unhealthyThreshold,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await nameGuarded(record, () =>
    commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
      if (!(await findLoadBalancer(trx, loadBalancerId))) throw notFound("This load balancer");
      await refuseTakenName(trx, record);
      await insertPool(trx, record);
      await audit({
        action: "pool.created",
        target: { type: "pool", id: record.id, name: record.name },
        details: { loadBalancerId, after: poolSettings(record) },
      });
    }),
  );
  return getPool(rt, record.id);
}

/** `expectedVersion` (If-Match, or the version the dialog was opened with): a stale save fails with 409. */
export async function updatePool(rt: Runtime, id: string, input: unknown, expectedVersion: number | null, actor: Actor): Promise<PoolView> {
  const patch = parseInput(poolPatchSchema, input);
  await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
    const current = await findPool(trx, id);
    if (!current) throw notFound("This pool");
    if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion("pool", current.version);
    const next = applyPatch(current, patch);
    if (JSON.stringify(poolSettings(current)) === JSON.stringify(poolSettings(next))) return;
    next.version = current.version + 1;
    next.updated_at = new Date().toISOString();
    await refuseTakenName(trx, next);
    await nameGuarded(next, async () => {
      if (!(await updatePoolIfVersion(trx, next, current.version))) throw staleVersion("pool", current.version + 1);
    });
    await audit({
      action: "pool.updated",
      target: { type: "pool", id, name: next.name },
      details: { before: poolSettings(current), after: poolSettings(next) },
    });
  });
  return getPool(rt, id);
}

export async function deletePool(rt: Runtime, id: string, actor: Actor): Promise<void> {
  await commitChange(rt, { actor, affectsEndpoints: true }, async ({ trx, audit }) => {
    const current = await findPool(trx, id);
    if (!current) throw notFound("This pool");
    await refuseInUse(trx, current);
    await deletePoolRow(trx, id);
    await audit({ action: "pool.deleted", target: { type: "pool", id, name: current.name }, details: { before: poolSettings(current) } });
  });
}

/** Deletes every pool of a load balancer, each with its event; its listeners must be gone already. */
export async function deletePoolsOf({ trx, audit }: Change, loadBalancerId: string): Promise<void> {
  for (const pool of await listPoolsOf(trx, loadBalancerId)) {
    await deletePoolRow(trx, pool.id);
    await audit({ action: "pool.deleted", target: { type: "pool", id: pool.id, name: pool.name }, details: { reason: "load balancer deleted" } });
  }
}

async function refuseInUse(db: Db, pool: PoolRecord): Promise<void> {
  const users = (await listenersUsingPools(db, [pool.id])).get(pool.id) ?? [];
  if (users.length === 0) return;
  const names = users.map((u) => `"${u.name}"`).join(", ");
  throw conflict(
    `Pool "${pool.name}" is the default pool of listener${users.length > 1 ? "s" : ""} ${names}; pick another default pool for ${users.length > 1 ? "them" : "it"} (or none), then delete the pool.`,
  );
}

async function refuseTakenName(db: Db, record: PoolRecord): Promise<void> {
  const owner = await findPoolByName(db, record.load_balancer_id, record.name);
  if (owner && owner.id !== record.id) throw nameTaken(record.name);
}

const nameTaken = (name: string) => conflict(`A pool named "${name}" already exists on this load balancer; choose another name.`, "name");

/** Turns a unique-constraint race (two creates with one name) into the 409 a user expects. */
async function nameGuarded(record: PoolRecord, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken(record.name) : error;
  }
}

function applyPatch(current: PoolRecord, patch: PoolPatchInput): PoolRecord {
  const next: PoolRecord = { ...current, members: current.members.map((m) => ({ ...m })) };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.algorithm !== undefined) next.algorithm = patch.algorithm;
  if (patch.members !== undefined) next.members = patch.members;
  const check = patch.healthCheck;
  if (check?.path !== undefined) next.health_check_path = check.path;
  if (check?.intervalSeconds !== undefined) next.health_check_interval_seconds = check.intervalSeconds;
  if (check?.healthyThreshold !== undefined) next.health_check_healthy_threshold = check.healthyThreshold;
  if (check?.unhealthyThreshold !== undefined) next.health_check_unhealthy_threshold = check.unhealthyThreshold;
  return next;
}
