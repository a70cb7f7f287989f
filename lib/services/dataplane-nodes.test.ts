// Several `npm run dataplane` nodes on one store (real processes bound to 127.0.0.2 and 127.0.0.3,
// real sockets), with a console that runs no endpoints of its own: both register, a save answers
// when it is in force on both, a node killed with -9 shows "gone" within the documented timeout
// while the other keeps serving, and a restarted node takes its row back and converges.
import { afterEach, describe, expect, it } from "vitest";
import { startDataplaneNode, storeEnv, type DataplaneNodeProcess } from "../../test/dataplane-node";
import { eventually, plainRequest, tcpConnectError } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { rejection } from "../../test/runtime";
import { localSettings } from "../../test/settings";
import { storeTargets } from "../../test/stores";
import { NODE_GONE_AFTER_MS } from "../store/dataplane-nodes-repo";
import { forgetDataplaneNode, listDataplaneNodes } from "./dataplane-nodes";
import { createListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, getLoadBalancer } from "./load-balancers";
import { startRuntime, type Runtime } from "./runtime";

const ACTOR = { name: "test" };
const HOSTS = { "node-a": "127.0.0.2", "node-b": "127.0.0.3" } as const;
type NodeId = keyof typeof HOSTS;

async function echoedName(host: string, port: number): Promise<string | null> {
  const response = await plainRequest(port, "GET", "/", host);
  return response ? (JSON.parse(response.body) as { listener: { name: string } }).listener.name : null;
}

for (const target of storeTargets()) {
  describe(`two data-plane nodes on one ${target.name} store`, () => {
    let rt: Runtime | undefined;
    const nodes = new Map<NodeId, DataplaneNodeProcess>();
    afterEach(async () => {
      for (const node of nodes.values()) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill("SIGKILL");
      nodes.clear();
      await rt?.dataplane.close();
      await rt?.store.close();
      rt = undefined;
    });

    it("registers both, answers saves in force on both, shows a killed node gone and a restarted one converged", async () => {
      const store = await target.open();
      rt = await startRuntime(localSettings(store.dataDir, { embeddedDataplane: false }), { store });
      const env = await storeEnv(store);
      const start = (id: NodeId) => {
        const node = startDataplaneNode({ ...env, DATAPLANE_HOST: HOSTS[id], CERTGATE_NODE_ID: id, CERTGATE_DATAPLANE_WORKERS: "1" });
        nodes.set(id, node);
        return node;
      };

      const lb = await createLoadBalancer(rt, { name: "edge" }, ACTOR);
      const port = await freePort();
      const listener = await createListener(rt, lb.id, { name: "v0", protocol: "HTTP", port }, ACTOR);
      for (const id of ["node-a", "node-b"] as const) start(id);
      await eventually(async () => expect((await getListener(rt!, listener.id)).endpoint.nodes).toMatchObject({ live: 2, serving: 2 }), 20_000);

      const list = await listDataplaneNodes(rt);
      expect(list.goneAfterSeconds).toBe(NODE_GONE_AFTER_MS / 1000);
      expect(list.items.map((node) => [node.id, node.address, node.state, node.appliedRevision])).toEqual([
        ["node-a", "127.0.0.2", "up", list.configRevision],
        ["node-b", "127.0.0.3", "up", list.configRevision],
      ]);
      expect(list.items[0].listeners[listener.id]).toEqual({ state: "serving", error: null });

      // Every save is in force on both nodes when it answers: no retry.
      for (let i = 1; i <= 6; i++) {
        const saved = await updateListener(rt, listener.id, { name: `v${i}` }, null, ACTOR);
        expect(saved.endpoint.nodes).toMatchObject({ live: 2, serving: 2, pending: [] });
        expect([await echoedName(HOSTS["node-a"], port), await echoedName(HOSTS["node-b"], port)]).toEqual([`v${i}`, `v${i}`]);
      }

      // A node that is up cannot be forgotten (it would write its row back at once).
      expect(await rejection(forgetDataplaneNode(rt, "node-b", ACTOR))).toMatchObject({ status: 409 });

      // kill -9: no clean shutdown. The other node keeps serving; the killed one is "gone" within the timeout.
      const killedAt = Date.now();
      nodes.get("node-b")!.child.kill("SIGKILL");
      await nodes.get("node-b")!.exited;
      // Its workers notice the primary is gone and close their endpoints.
      await eventually(async () => expect(await tcpConnectError(port, HOSTS["node-b"])).toBe("ECONNREFUSED"), 5_000);
      await eventually(async () => {
        const states = (await listDataplaneNodes(rt!)).items.map((node) => node.state);
        expect(states).toEqual(["up", "gone"]);
      }, NODE_GONE_AFTER_MS + 3_000);
      expect(Date.now() - killedAt).toBeLessThan(NODE_GONE_AFTER_MS + 3_000);
      // A save no longer waits for the gone node, and is in force on the live one.
      const whileGone = await updateListener(rt, listener.id, { name: "while-gone" }, null, ACTOR);
      expect(whileGone.endpoint.nodes).toMatchObject({ live: 1, serving: 1, pending: [] });
      expect(await echoedName(HOSTS["node-a"], port)).toBe("while-gone");
      expect((await getLoadBalancer(rt, lb.id)).status).toBe("active");

      // Restarted under the same id, it takes its row back and serves the newest configuration.
      start("node-b");
      await eventually(async () => {
        const items = (await listDataplaneNodes(rt!)).items;
        expect(items.map((node) => node.state)).toEqual(["up", "up"]);
      }, 20_000);
      await eventually(async () => expect(await echoedName(HOSTS["node-b"], port)).toBe("while-gone"), 5_000);
      const revision = (await listDataplaneNodes(rt)).configRevision;
      expect((await listDataplaneNodes(rt)).items.map((node) => node.appliedRevision)).toEqual([revision, revision]);

      // A clean stop says "stopped"; such a node can be forgotten.
      nodes.get("node-b")!.child.kill("SIGTERM");
      expect(await nodes.get("node-b")!.exited).toBe(0);
      expect((await listDataplaneNodes(rt)).items.map((node) => node.state)).toEqual(["up", "stopped"]);
      await forgetDataplaneNode(rt, "node-b", ACTOR);
      expect((await listDataplaneNodes(rt)).items.map((node) => node.id)).toEqual(["node-a"]);
    }, 90_000);

    it("names the node on which a listener is in error", async () => {
      const store = await target.open();
      rt = await startRuntime(localSettings(store.dataDir, { embeddedDataplane: false }), { store });
      const env = await storeEnv(store);
      const lb = await createLoadBalancer(rt, { name: "edge" }, ACTOR);
      const port = await freePort();
      // Another program holds the port on node-a's address only (the first node listed, so the URL
      // shown must be chosen for serving, not for coming first).
      const net = await import("node:net");
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(port, HOSTS["node-a"], resolve));
      try {
        const listener = await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, ACTOR);
        for (const id of ["node-a", "node-b"] as const) {
          nodes.set(id, startDataplaneNode({ ...env, DATAPLANE_HOST: HOSTS[id], CERTGATE_NODE_ID: id, CERTGATE_DATAPLANE_WORKERS: "1" }));
        }
        await eventually(async () => {
          const { endpoint } = await getListener(rt!, listener.id);
          expect(endpoint.state).toBe("error");
          expect(endpoint.error).toMatch(/^On node node-a: .*already in use/);
          expect(endpoint.nodes).toMatchObject({ live: 2, serving: 1, errors: [{ nodeId: "node-a" }] });
          // The URL the console shows and "Test this listener" tries: where it serves.
          expect(endpoint.url).toBe(`http://${HOSTS["node-b"]}:${port}`);
        }, 20_000);
        expect((await getLoadBalancer(rt, lb.id)).status).toBe("degraded");
      } finally {
        blocker.close();
      }
    }, 60_000);
  });
}
