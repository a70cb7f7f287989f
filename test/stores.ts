// The databases the store suite runs against: always a real SQLite file in a temp dir, and
// the real PostgreSQL server when TEST_DATABASE_URL is set (CI sets it). Each store gets a
// fresh schema or file, so tests never see each other's rows.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openStore, type Store } from "../lib/store/database";

export interface StoreTarget {
  name: "sqlite" | "postgres";
  open(): Promise<Store & { dataDir: string }>;
}

export function tempDir(prefix = "certgate-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function storeTargets(): StoreTarget[] {
  const targets: StoreTarget[] = [
    {
      name: "sqlite",
      async open() {
        const dataDir = tempDir();
        const store = await openStore({ databaseUrl: null, dataDir });
        return { ...store, dataDir };
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    targets.push({
      name: "postgres",
      async open() {
        const schema = `t_${crypto.randomBytes(6).toString("hex")}`;
        const store = await openStore({ databaseUrl: url, dataDir: tempDir(), schema });
        return {
          ...store,
          dataDir: tempDir(),
          async close() {
            await store.close();
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await client.end();
          },
        };
      },
    });
  }
  return targets;
}
