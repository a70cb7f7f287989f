// `npm run dataplane` as a real process beside a console that runs without its embedded endpoints
// (CERTGATE_EMBEDDED_DATAPLANE=0): it serves what the console saves, the console shows its endpoint
// states and its connection log, and SIGTERM shuts it down cleanly; while none runs, the console
// says so (running false, load balancers "stopped", never "active").
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { testCert } from "../../test/certs";
import { freePort } from "../../test/ports";
import { rejection } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { attempt, clientCred, eventually, tcpConnectError } from "../../test/dataplane";
import { uploadCertificate } from "./certificates";
import { listListenerConnections } from "./connections";
import { createListener, deleteListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, getLoadBalancer, listLoadBalancers } from "./load-balancers";
import { toDataplaneView } from "./views";
import { startRuntime, type Runtime } from "./runtime";
import { localSettings } from "../../test/settings";
import { startDataplaneNode, storeEnv } from "../../test/dataplane-node";

const ACTOR = { name: "test" };

for (const target of storeTargets()) {
  describe(`npm run dataplane beside a console without embedded endpoints, on ${target.name}`, () => {
    let console_: Runtime | undefined;
    let child: ChildProcess | undefined;
    let blocker: net.Server | undefined;
    afterEach(async () => {
      if (child && child.exitCode === null) child.kill("SIGKILL");
      blocker?.close();
      await console_?.dataplane.close();
      await console_?.store.close();
      console_ = undefined;
      child = undefined;
    });

    it("serves the console's saves at once, reports states and connections, and stops on SIGTERM", async () => {
      const store = await target.open();
      const rt = await startRuntime(
        localSettings(store.dataDir, { embeddedDataplane: false }),
        { store },
      );
      console_ = rt;
      const server = await uploadCertificate(rt, { name: "web", kind: "server", certificate: testCert("server.pem"), privateKey: testCert("server.key").toString() }, ACTOR);
      const root = await uploadCertificate(rt, { name: "root", kind: "ca", certificate: testCert("root-ca.pem") }, ACTOR);
      const lb = await createLoadBalancer(rt, { name: "edge" }, ACTOR);
      const port = await freePort();
      // Nothing serves yet, and the console says so instead of waiting.
      const created = await createListener(rt, lb.id, { name: "https", protocol: "HTTPS", port, certificateId: server.id }, ACTOR);
      expect(created.endpoint).toEqual({ url: "", state: "stopped", error: null, nodes: { live: 0, serving: 0, errors: [], pending: [] } });
      expect(await tcpConnectError(port)).toBe("ECONNREFUSED");
      // Health tells the truth: no data plane runs, so the load balancer is not "active".
      expect(rt.dataplane.running()).toBe(false);
      expect(toDataplaneView(rt.dataplane, false)).toEqual({ running: false, mode: "standalone" });
      expect((await getLoadBalancer(rt, lb.id)).status).toBe("stopped");
      expect((await listLoadBalancers(rt, { limit: 10, cursor: null })).items[0].status).toBe("stopped");

      const node = startDataplaneNode(await storeEnv(store));
      child = node.child;
      const { exited } = node;

      await eventually(() => expect(node.output()).toContain("serving 1 listener(s)"), 20_000);
      expect((await attempt(port)).response?.status).toBe(200);
      await eventually(() => expect(rt.dataplane.running()).toBe(true), 3_000);
      await eventually(async () => expect((await getLoadBalancer(rt, lb.id)).status).toBe("active"), 3_000);
      await eventually(async () => expect((await getListener(rt, created.id)).endpoint).toMatchObject({ url: `https://127.0.0.1:${port}`, state: "serving", error: null, nodes: { live: 1, serving: 1, errors: [], pending: [] } }), 3_000);

      // A save answers once the stand-alone process has it in force: the next connection is judged by it.
      const saved = await updateListener(rt, created.id, { clientAuth: { enabled: true, caCertificateId: root.id } }, null, ACTOR);
      expect(saved.endpoint.state).toBe("serving");
      expect((await attempt(port)).httpBytes).toBe(0);
      expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);

      // Its connection log lands in the store, where the API reads it.
      await eventually(async () => {
        const log = await listListenerConnections(rt, created.id, { limit: 10, cursor: null });
        expect(log.items.map((item) => item.reason)).toEqual(["ok", "no_certificate", "ok"]);
      }, 3_000);

      // A port taken by another program is refused by the console itself, before the data plane would fail on it.
      blocker = net.createServer();
      await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
      const takenPort = (blocker.address() as net.AddressInfo).port;
      const blocked = await rejection(createListener(rt, lb.id, { name: "blocked", protocol: "HTTP", port: takenPort }, ACTOR));
      expect(blocked).toMatchObject({ status: 422, detail: expect.stringContaining(`Port ${takenPort} on 127.0.0.1 is already in use by another program (`) });
      const plain = await createListener(rt, lb.id, { name: "plain", protocol: "HTTP", port: await freePort() }, ACTOR);
      expect(plain.endpoint.state).toBe("serving");

      await deleteListener(rt, created.id, ACTOR);
      expect(await tcpConnectError(port)).toBe("ECONNREFUSED");

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(node.output()).toContain("stopped");
      await eventually(async () => expect((await getListener(rt, plain.id)).endpoint.state).toBe("stopped"), 3_000);
      // Stopped cleanly: at once (the report says so), the console knows nothing serves.
      expect(rt.dataplane.running()).toBe(false);
      expect((await getLoadBalancer(rt, lb.id)).status).toBe("stopped");
    }, 60_000);
  });
}
