"use server";
import { CONSOLE_ACTOR, runAction } from "@/lib/actions/run-action";
import { createListener, deleteListener, updateListener } from "@/lib/services/listeners";
import { listenerTestFiles } from "@/lib/services/listener-test-files";

export async function createListenerAction(loadBalancerId: string, input: unknown) {
  return runAction((rt) => createListener(rt, loadBalancerId, input, CONSOLE_ACTOR));
}

/** `expectedVersion` is the version the Edit dialog was opened with: a stale Save gets a conflict. */
export async function updateListenerAction(id: string, expectedVersion: number, patch: unknown) {
  return runAction((rt) => updateListener(rt, id, patch, expectedVersion, CONSOLE_ACTOR));
}

export async function deleteListenerAction(id: string) {
  return runAction((rt) => deleteListener(rt, id, CONSOLE_ACTOR));
}

/** The files on this machine that the Test this listener panel can name (the demo's, where they fit). */
export async function listenerTestFilesAction(id: string) {
  return runAction((rt) => listenerTestFiles(rt, id));
}
