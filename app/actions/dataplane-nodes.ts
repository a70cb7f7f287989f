"use server";
// Forgetting a stopped or gone data-plane node from the Data plane page: the service the API's
// DELETE /api/v1/dataplane-nodes/{id} calls (it refuses a node that is up with a 409).
import { runAction } from "@/lib/actions/run-action";
import { forgetDataplaneNode } from "@/lib/services/dataplane-nodes";

export async function forgetDataplaneNodeAction(id: string) {
  return runAction("operate", (rt, caller) => forgetDataplaneNode(rt, id, caller.actor));
}
