// commitChange against a real store and the real data plane: what commits together, when a
// stand-alone data plane is told to reload, and that the embedded one serves a change at once.
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/ports";
import { listenerRecord } from "../../test/rows";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { AppError } from "../errors";
import { listAuditEvents } from "../store/audit-repo";
import { readConfigRevision } from "../store/dataplane-state-repo";
import { insertListener } from "../store/listeners-repo";
import { findLoadBalancer, insertLoadBalancer } from "../store/load-balancers-repo";
import { commitChange } from "./commit-change";
import type { Runtime } from "./runtime";

for (const target of storeTargets()) {
  describe(`commitChange on ${target.name}`, () => {
    let rt: Runtime | undefined;
    afterEach(async () => {
      await stopTestRuntime(rt);
      rt = undefined;
    });

    async function state(runtime: Runtime) {
      // The first admin, made at start, is an event of its own; these tests look at the changes they make.
      const events = await listAuditEvents(runtime.store.db, {}, { limit: 100, cursor: null });
      return { revision: await readConfigRevision(runtime.store.db), events: events.items.filter((e) => e.target.type !== "user").map((e) => `${e.actor} ${e.action}`) };
    }

    const balancer = (id: string) => ({ id, name: id, created_at: new Date().toISOString() });

    it("commits the writes with their audit events, by the change's actor", async () => {
      const runtime = (rt = await startTestRuntime(target));
      await commitChange(runtime, { actor: { name: "alice" } }, async ({ trx, audit }) => {
        await insertLoadBalancer(trx, balancer("lb1"));
        await audit({ action: "load_balancer.created", target: { type: "load_balancer", id: "lb1", name: "lb1" } });
      });
      expect(await findLoadBalancer(runtime.store.db, "lb1")).toBeDefined();
      // Not about endpoints: a stand-alone data plane has nothing to reload.
      expect(await state(runtime)).toEqual({ revision: 0, events: ["alice load_balancer.created"] });
    });

    it("keeps nothing of a change that fails, neither its writes nor its events nor a revision", async () => {
      const runtime = (rt = await startTestRuntime(target));
      const refused = commitChange(runtime, { actor: { name: "alice" }, affectsEndpoints: true }, async ({ trx, audit }) => {
        await insertLoadBalancer(trx, balancer("lb1"));
        await audit({ action: "load_balancer.created", target: { type: "load_balancer", id: "lb1", name: "lb1" } });
        throw new AppError(409, "refused after writing");
      });
      expect((await rejection(refused)).message).toBe("refused after writing");
      expect(await findLoadBalancer(runtime.store.db, "lb1")).toBeUndefined();
      expect(await state(runtime)).toEqual({ revision: 0, events: [] });
    });

    it("bumps the revision for a change to what endpoints serve, and the embedded endpoint serves it on return", async () => {
      const runtime = (rt = await startTestRuntime(target));
      const port = await freePort();
      await commitChange(runtime, { actor: { name: "bob" }, affectsEndpoints: true }, async ({ trx, audit }) => {
        await insertLoadBalancer(trx, balancer("lb1"));
        await insertListener(trx, listenerRecord("l1", port, { protocol: "HTTP" }));
        await audit({ action: "listener.created", target: { type: "listener", id: "l1", name: "l1" } });
      });
      expect(await state(runtime)).toEqual({ revision: 1, events: ["bob listener.created"] });
      expect(runtime.dataplane.status("l1")).toMatchObject({ state: "serving", url: `http://127.0.0.1:${port}` });

      // A change that records nothing changed nothing: no reload is asked for.
      expect(await commitChange(runtime, { actor: { name: "bob" }, affectsEndpoints: true }, async () => "unchanged")).toBe("unchanged");
      expect(await state(runtime)).toEqual({ revision: 1, events: ["bob listener.created"] });
    });
  });
}
