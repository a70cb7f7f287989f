// LISTEN/NOTIFY against the real PostgreSQL (only where TEST_DATABASE_URL names one; CI sets it):
// a committed config change notifies with its revision, a rolled-back one never does, and a
// listener whose connection is killed says so, reconnects and asks for a resync.
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../../test/dataplane";
import { storeTargets } from "../../test/stores";
import { inTransaction, type Store } from "./database";
import { bumpConfigRevision, CONFIG_CHANNEL, revisionOfNotification } from "./dataplane-state-repo";
import { listenForNotifications, type NotificationListener } from "./notifications";

describe("listenForNotifications", () => {
  it("takes only plain identifiers as channel names (the name goes into a LISTEN statement)", () => {
    const handlers = { onNotify() {}, onListening() {}, onLost() {} };
    expect(() => listenForNotifications("postgres://127.0.0.1:1/none", "x; DROP TABLE meta", handlers)).toThrow(/invalid channel name/);
  });
});

for (const target of storeTargets().filter((t) => t.name === "postgres")) {
  describe("change notifications on PostgreSQL", () => {
    let store: Store | undefined;
    let listener: NotificationListener | undefined;
    afterEach(async () => {
      await listener?.close();
      await store?.close();
    });

    it("carries each committed revision, never a rolled-back one, and resyncs after a lost connection", async () => {
      store = await target.open();
      const url = process.env.TEST_DATABASE_URL!;
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
      const mine = `${rows[0].schema}:`;
      const events: string[] = [];
      listener = listenForNotifications(url, CONFIG_CHANNEL, {
        // Other tests notify on the same channel from their own schemas: only this store's are kept.
        onNotify: (payload) => {
          if (payload.startsWith(mine)) events.push(`notify ${revisionOfNotification(payload)}`);
        },
        onListening: () => events.push("listening"),
        onLost: () => events.push("lost"),
      });
      await eventually(() => expect(events).toEqual(["listening"]), 5_000);

      const revision = await inTransaction(store.db, (trx) => bumpConfigRevision(trx));
      await eventually(() => expect(events).toContain(`notify ${revision}`), 2_000);

      await inTransaction(store.db, async (trx) => {
        await bumpConfigRevision(trx);
        throw new Error("rolled back");
      }).catch(() => undefined);
      const next = await inTransaction(store.db, (trx) => bumpConfigRevision(trx));
      // The rolled-back bump took no number and sent nothing: the next commit is revision + 1, heard once.
      expect(next).toBe(revision + 1);
      await eventually(() => expect(events).toEqual(["listening", `notify ${revision}`, `notify ${next}`]), 2_000);

      // The server drops the listening connection (a restart, a failover): it is noticed and re-established.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ${CONFIG_CHANNEL}' AND pid <> pg_backend_pid()`);
      await admin.end();
      await eventually(() => expect(events.slice(-2)).toEqual(["lost", "listening"]), 5_000);
      const after = await inTransaction(store.db, (trx) => bumpConfigRevision(trx));
      await eventually(() => expect(events.at(-1)).toBe(`notify ${after}`), 2_000);
    });
  });
}
