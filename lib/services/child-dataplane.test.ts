// Embedded mode's data plane in a process of its own: a real child (server/dataplane.ts through
// tsx), a real SQLite store, real sockets. A save answers once the child enforces it, the child
// comes back after kill -9, and closing the console closes its endpoints.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/ports";
import { tempDir } from "../../test/stores";
import { eventually, plainRequest, tcpConnectError } from "../../test/dataplane";
import { listNodes } from "../store/dataplane-nodes-repo";
import { readConfigRevision } from "../store/dataplane-state-repo";
import { createChildDataplane } from "./child-dataplane";
import { createListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer } from "./load-balancers";
import { startRuntime, type Runtime } from "./runtime";
import { localSettings } from "../../test/settings";

const SOURCE_ENTRY = { file: path.resolve(__dirname, "../../server/dataplane.ts"), execArgv: ["--conditions=react-server", "--import", "tsx"] };

describe("the console's data plane child process", () => {
  let rt: Runtime | undefined;
  afterEach(async () => {
    await rt?.dataplane.close();
    await rt?.store.close();
    rt = undefined;
  });

  it("answers a save once the child serves it, restarts after kill -9, and stops with the console", async () => {
    const settings = localSettings(tempDir());
    const { openStore } = await import("../store/database");
    const store = await openStore({ databaseUrl: null, dataDir: settings.dataDir });
    const dataplane = createChildDataplane(settings, store.db, () => {}, SOURCE_ENTRY);
    rt = await startRuntime(settings, { store, dataplane });

    const lb = await createLoadBalancer(rt, { name: "edge" }, { name: "test" });
    const port = await freePort();
    const created = await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port }, { name: "test" });
    // No retry: when the API has answered, the child already serves it.
    expect((await plainRequest(port))?.status).toBe(200);
    expect(created.endpoint.state).toBe("serving");

    await updateListener(rt, created.id, { name: "web-2" }, null, { name: "test" });
    expect(JSON.parse((await plainRequest(port))!.body).listener.name).toBe("web-2");

    // The child registered itself as the one data-plane node.
    const [node] = await listNodes(store.db);
    expect(node).toMatchObject({ workers: 1, stoppedAt: null, appliedRevision: await readConfigRevision(store.db) });
    const { pid } = node;
    expect(pid).not.toBe(process.pid);
    process.kill(pid, "SIGKILL");
    await eventually(async () => expect(await tcpConnectError(port)).not.toBeNull(), 5_000);
    await eventually(async () => expect((await plainRequest(port))?.status).toBe(200), 10_000);
    await eventually(async () => expect((await getListener(rt!, created.id)).endpoint.state).toBe("serving"), 5_000);
    // Restarted under the same node id: it took its row back.
    const after = await listNodes(store.db);
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(pid);

    await rt.dataplane.close();
    expect(await tcpConnectError(port)).not.toBeNull();
    // A clean stop says so in the registry.
    expect((await listNodes(store.db))[0].stoppedAt).not.toBeNull();
  });
});
