"use server";
import { runAction } from "@/lib/actions/run-action";
import { createListener, deleteListener, updateListener } from "@/lib/services/listeners";
import { listenerTestFiles } from "@/lib/services/listener-test-files";

export async function createListenerAction(loadBalancerId: string, input: unknown) {
  return runAction("operate", (rt, caller) => createListener(rt, loadBalancerId, input, caller.actor));
}

/** `expectedVersion` is the version the Edit dialog was opened with: a stale Save gets a conflict. */
export async function updateListenerAction(id: string, expectedVersion: number, patch: unknown) {
  return runAction("operate", (rt, caller) => updateListener(rt, id, patch, expectedVersion, caller.actor));
}

export async function deleteListenerAction(id: string) {
  return runAction("operate", (rt, caller) => deleteListener(rt, id, caller.actor));
}

/** The files on this machine that the Test this listener panel can name (the demo's, where they fit). */
export async function listenerTestFilesAction(id: string) {
  return runAction("read", (rt) => listenerTestFiles(rt, id));
}
