"use server";
import { runAction } from "@/lib/actions/run-action";
import { createPool, deletePool, updatePool } from "@/lib/services/pools";

export async function createPoolAction(loadBalancerId: string, input: unknown) {
  return runAction("operate", (rt, caller) => createPool(rt, loadBalancerId, input, caller.actor));
}

/** `expectedVersion` is the version the Edit pool dialog was opened with: a stale Save gets a conflict. */
export async function updatePoolAction(id: string, expectedVersion: number, patch: unknown) {
  return runAction("operate", (rt, caller) => updatePool(rt, id, patch, expectedVersion, caller.actor));
}

export async function deletePoolAction(id: string) {
  return runAction("operate", (rt, caller) => deletePool(rt, id, caller.actor));
}
