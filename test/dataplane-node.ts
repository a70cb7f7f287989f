// `npm run dataplane` as a real process for tests: started from the TypeScript source through tsx
// (as server/dataplane.ts says), pointed at a test's store, its output collected.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import type { Store } from "../lib/store/database";

const ROOT = path.resolve(__dirname, "..");

/** The environment that points a stand-alone data plane at the same store (and PostgreSQL schema) as the test's console. */
export async function storeEnv(store: Store & { dataDir: string }): Promise<Record<string, string>> {
  const env: Record<string, string> = { DATA_DIR: store.dataDir, CERTGATE_SECRET: "test-secret", DATAPLANE_HOST: "127.0.0.1" };
  if (store.dialect === "postgres") {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set("options", `-c search_path=${rows[0].schema}`);
    env.DATABASE_URL = url.toString();
  }
  return env;
}

export interface DataplaneNodeProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export function startDataplaneNode(env: Record<string, string>): DataplaneNodeProcess {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/dataplane.ts"], {
    cwd: ROOT,
    env: { ...process.env, CERTGATE_METRICS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
