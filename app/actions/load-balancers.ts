"use server";
import { runAction } from "@/lib/actions/run-action";
import { createLoadBalancer, deleteLoadBalancer } from "@/lib/services/load-balancers";

export async function createLoadBalancerAction(input: { name: string }) {
  return runAction("operate", (rt, caller) => createLoadBalancer(rt, input, caller.actor));
}

export async function deleteLoadBalancerAction(id: string) {
  return runAction("operate", (rt, caller) => deleteLoadBalancer(rt, id, caller.actor));
}
