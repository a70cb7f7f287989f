// A pool member's health, from the data plane's checks of a real backend to the console's reads, in
// each of the three ways a console runs its data plane: in process (tests), as its child process
// (embedded mode, over IPC) and as a stand-alone process reporting into the store
// (CERTGATE_EMBEDDED_DATAPLANE=0). The member is healthy while the backend answers, unhealthy once
// it is stopped, and "unknown" for a pool no listener uses.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingBackend } from "../../test/backend";
import { eventually } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { tempDir } from "../../test/stores";
import { openStore } from "../store/database";
import { createChildDataplane } from "./child-dataplane";
import { createListener } from "./listeners";
import { createLoadBalancer } from "./load-balancers";
import { createPool, getPool } from "./pools";
import { startRuntime, type Runtime } from "./runtime";
import { startStandaloneDataplane, type StandaloneDataplane } from "./standalone-dataplane";
import { localSettings } from "../../test/settings";

const ACTOR = { name: "test" };
const SOURCE_ENTRY = { file: path.resolve(__dirname, "../../server/dataplane.ts"), execArgv: ["--conditions=react-server", "--import", "tsx"] };

type Mode = "in process" | "child process" | "stand-alone process";

describe("pool member health as the console reads it", () => {
  let rt: Runtime | undefined;
  let standalone: StandaloneDataplane | undefined;
  let backend: RecordingBackend | undefined;
  afterEach(async () => {
    await backend?.stop();
    await rt?.dataplane.close();
    await standalone?.close();
    await rt?.store.close();
    [rt, standalone, backend] = [undefined, undefined, undefined];
  });

  async function consoleWith(mode: Mode): Promise<Runtime> {
    const settings = localSettings(tempDir(), mode === "stand-alone process" ? { embeddedDataplane: false } : {});
    const store = await openStore({ databaseUrl: null, dataDir: settings.dataDir });
    const dataplane = mode === "child process" ? createChildDataplane(settings, store.db, () => {}, SOURCE_ENTRY) : undefined;
    const runtime = await startRuntime(settings, { store, ...(dataplane ? { dataplane } : {}) });
    if (mode === "stand-alone process") standalone = await startStandaloneDataplane(settings, () => {});
    return runtime;
  }

  for (const mode of ["in process", "child process", "stand-alone process"] as const) {
    it(`shows healthy while the backend answers and unhealthy once it stops (${mode})`, async () => {
      rt = await consoleWith(mode);
      backend = new RecordingBackend("app");
      const backendPort = await backend.start();
      const lb = await createLoadBalancer(rt, { name: "edge" }, ACTOR);
      const healthCheck = { path: "/healthz", intervalSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 };
      const pool = await createPool(rt, lb.id, { name: "app", members: [{ address: "127.0.0.1", port: backendPort }], healthCheck }, ACTOR);
      const idle = await createPool(rt, lb.id, { name: "idle", members: [{ address: "127.0.0.1", port: backendPort }], healthCheck }, ACTOR);
      expect(pool.members[0].health).toBe("unknown");

      await createListener(rt, lb.id, { name: "web", protocol: "HTTP", port: await freePort(), defaultPoolId: pool.id }, ACTOR);
      await eventually(async () => expect((await getPool(rt!, pool.id)).members[0].health).toBe("healthy"), 8_000);
      expect(backend.checks.length).toBeGreaterThan(0);
      expect(backend.checks[0].url).toBe("/healthz");
      // Nothing forwards to it, so nothing checks it.
      expect((await getPool(rt, idle.id)).members[0].health).toBe("unknown");

      await backend.stop();
      await eventually(async () => expect((await getPool(rt!, pool.id)).members[0].health).toBe("unhealthy"), 8_000);
    }, 40_000);
  }
});
