// The console and its data plane process both write the SQLite file. A transaction that reads and
// then writes must wait for the other process's write instead of failing with "database is locked"
// (SQLite refuses to upgrade a read snapshot that another writer has moved past).
import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { tempDir } from "../../test/stores";
import { inTransaction, openStore, type Store } from "./database";

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Another process writing the same file as fast as it can, for `ms`. */
function otherWriter(file: string, ms: number) {
  const script = `
    const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
    db.pragma("busy_timeout = 5000");
    const put = db.prepare("insert into meta (key, value) values ('other-writer', ?) on conflict(key) do update set value = excluded.value");
    const until = Date.now() + ${ms};
    let n = 0;
    process.send("started");
    while (Date.now() < until) put.run(String(n++));
    process.send(n);
  `;
  const child = spawn(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "../.."), stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const started = new Promise((resolve) => child.once("message", resolve));
  const writes = new Promise<number>((resolve) => child.on("message", (m) => typeof m === "number" && resolve(m)));
  return { started, writes };
}

it("lets a read-then-write transaction wait for another process's writes instead of failing", async () => {
  const dataDir = tempDir();
  store = await openStore({ databaseUrl: null, dataDir });
  const other = otherWriter(path.join(dataDir, "certgate.db"), 1_500);
  await other.started;
  let committed = 0;
  const until = Date.now() + 1_200;
  while (Date.now() < until) {
    await inTransaction(store.db, async (trx) => {
      await sql`select value from meta where key = 'other-writer'`.execute(trx);
      // Give the other process time to commit between this transaction's read and its write.
      await new Promise((resolve) => setTimeout(resolve, 2));
      await sql`insert into meta (key, value) values ('this-writer', ${String(committed)}) on conflict(key) do update set value = excluded.value`.execute(trx);
    });
    committed++;
  }
  expect(await other.writes).toBeGreaterThan(0);
  expect(committed).toBeGreaterThan(10);
});
