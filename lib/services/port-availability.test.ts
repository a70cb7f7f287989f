// A port another program holds is refused with 422 naming the port and the program, and nothing is
// stored; a port another certgate listener holds stays the 409 naming that listener; a listener
// keeping its own port (which its endpoint holds) is never refused. Real sockets, a real store.
import fs from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/ports";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { findPortHolder, probePort } from "../dataplane/port-probe";
import { listAuditEvents } from "../store/audit-repo";
import { createListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, getLoadBalancer } from "./load-balancers";
import type { Runtime } from "./runtime";

/** Listens on host:port like any other program would; closed after the test. */
async function holdPort(host: string, port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, resolve);
  });
  held.push(server);
  return server;
}
const held: net.Server[] = [];
/** This process's command name, as /proc shows it to the probe. */
const thisCommand = () => fs.readFileSync("/proc/self/comm", "utf8").trim();

afterEach(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("the port probe", () => {
  it("finds a free port free, and names the process holding a taken one (IPv4 and IPv6 tables)", async () => {
    const port = await freePort();
    expect(await probePort("127.0.0.1", port)).toEqual({ taken: false });
    // Probing let the port go again.
    await holdPort("127.0.0.1", port);
    expect(await probePort("127.0.0.1", port)).toEqual({ taken: true, holder: { pid: process.pid, command: thisCommand() } });

    const v6 = await freePort();
    await holdPort("::", v6);
    expect(await findPortHolder(v6)).toEqual({ pid: process.pid, command: thisCommand() });
    expect(await probePort("127.0.0.1", v6)).toMatchObject({ taken: true });
  });

  it("knows no holder for a port nobody listens on", async () => {
    expect(await findPortHolder(await freePort())).toBeNull();
  });
});

for (const target of storeTargets()) {
  describe(`creating and editing listeners on ${target.name}`, () => {
    let rt: Runtime | undefined;
    afterEach(() => stopTestRuntime(rt));

    it("refuses a port another program holds with 422 naming the port and the program, and stores nothing", async () => {
      rt = await startTestRuntime(target);
      const lb = await createLoadBalancer(rt, { name: "edge" }, { name: "test" });
      const port = await freePort();
      await holdPort("127.0.0.1", port);

      const refused = await rejection(createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, { name: "test" }));
      const message = `Port ${port} on 127.0.0.1 is already in use by another program ("${thisCommand()}", pid ${process.pid}); stop that program or pick another port.`;
      expect(refused).toMatchObject({ status: 422, detail: message, errors: [{ field: "port", message }] });
      expect((await getLoadBalancer(rt, lb.id)).listeners).toEqual([]);
      const audit = await listAuditEvents(rt.store.db, { targetType: "listener" }, { limit: 10, cursor: null });
      expect(audit.items).toEqual([]);

      // Once the program lets the port go, the same listener is created and served.
      await new Promise((resolve) => held.pop()!.close(resolve));
      const created = await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, { name: "test" });
      expect(created.endpoint.state).toBe("serving");
    });

    it("never refuses a listener keeping its own port, and a port of another listener stays the 409", async () => {
      rt = await startTestRuntime(target);
      const lb = await createLoadBalancer(rt, { name: "edge" }, { name: "test" });
      const port = await freePort();
      const listener = await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, { name: "test" });
      expect(listener.endpoint.state).toBe("serving"); // its endpoint holds the port now

      const renamed = await updateListener(rt, listener.id, { name: "web-renamed" }, null, { name: "test" });
      expect(renamed).toMatchObject({ name: "web-renamed", port, endpoint: { state: "serving" } });

      const clash = await rejection(createListener(rt, lb.id, { name: "two", protocol: "HTTP", port }, { name: "test" }));
      expect(clash).toMatchObject({ status: 409, errors: [{ field: "port" }] });
      expect((await getListener(rt, listener.id)).name).toBe("web-renamed");
    });

    it("refuses an edit to a port another program holds, and keeps the listener as it was", async () => {
      rt = await startTestRuntime(target);
      const lb = await createLoadBalancer(rt, { name: "edge" }, { name: "test" });
      const port = await freePort();
      const listener = await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, { name: "test" });
      const taken = await freePort();
      await holdPort("127.0.0.1", taken);

      const refused = await rejection(updateListener(rt, listener.id, { port: taken }, null, { name: "test" }));
      expect(refused).toMatchObject({
        status: 422,
        detail: `Port ${taken} on 127.0.0.1 is already in use by another program ("${thisCommand()}", pid ${process.pid}); stop that program or pick another port.`,
        errors: [{ field: "port" }],
      });
      expect(await getListener(rt, listener.id)).toMatchObject({ port, version: 1, endpoint: { state: "serving" } });

      const moved = await updateListener(rt, listener.id, { port: await freePort() }, null, { name: "test" });
      expect(moved).toMatchObject({ version: 2, endpoint: { state: "serving" } });
    });
  });
}
