"use server";
import { CONSOLE_ACTOR, runAction } from "@/lib/actions/run-action";
import { createLoadBalancer, deleteLoadBalancer } from "@/lib/services/load-balancers";

export async function createLoadBalancerAction(input: { name: string }) {
  return runAction((rt) => createLoadBalancer(rt, input, CONSOLE_ACTOR));
}

export async function deleteLoadBalancerAction(id: string) {
  return runAction((rt) => deleteLoadBalancer(rt, id, CONSOLE_ACTOR));
}
