// The persisted connection log and the data plane's coordination rows, against real databases:
// SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
import { afterEach, describe, expect, it } from "vitest";
import { storeTargets } from "../../test/stores";
import { AppError } from "../errors";
import { appendConnectionEvents, CONNECTIONS_KEPT_PER_LISTENER, listConnectionEvents, type ConnectionEventRow } from "./connections-repo";
import { inTransaction, type Store } from "./database";
import { bumpConfigRevision, readConfigRevision } from "./dataplane-state-repo";
import { deleteListenerRow, insertListener } from "./listeners-repo";
import { insertLoadBalancer } from "./load-balancers-repo";
import { listenerRecord } from "../../test/rows";

function event(listenerId: string, n: number, overrides: Partial<ConnectionEventRow> = {}): ConnectionEventRow {
  return {
    listener_id: listenerId,
    at: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, n)).toISOString(),
    remote_address: "127.0.0.1",
    outcome: "accepted",
    reason: "ok",
    tls_protocol: "TLSv1.3",
    client_subject: null,
    client_issuer: null,
    client_fingerprint_sha256: null,
    ...overrides,
  };
}

async function addListener(store: Store, id: string, port: number): Promise<void> {
  await insertListener(store.db, listenerRecord(id, port, { name: id, protocol: "HTTP" }));
}

for (const target of storeTargets()) {
  describe(`connection log and data plane rows on ${target.name}`, () => {
    let store: Store;
    afterEach(async () => {
      await store?.close();
    });

    async function open(): Promise<Store> {
      store = await target.open();
      await insertLoadBalancer(store.db, { id: "lb1", name: "edge", created_at: new Date().toISOString() });
      await addListener(store, "a", 1001);
      await addListener(store, "b", 1002);
      return store;
    }

    it("reads one listener's log newest first, in docs/api.md's shape, page by page", async () => {
      await open();
      const fingerprint = "ab".repeat(32);
      await appendConnectionEvents(store.db, [
        event("a", 1),
        event("b", 2),
        event("a", 3, { outcome: "rejected", reason: "untrusted_issuer", client_subject: "CN=x", client_issuer: "CN=y", client_fingerprint_sha256: fingerprint }),
        event("a", 4, { outcome: "rejected", reason: "tls_error", tls_protocol: null }),
      ]);

      const first = await listConnectionEvents(store.db, "a", { limit: 2, cursor: null });
      expect(first.items).toEqual([
        { at: event("a", 4).at, remoteAddress: "127.0.0.1", outcome: "rejected", reason: "tls_error", tlsProtocol: null, clientCertificate: null },
        {
          at: event("a", 3).at,
          remoteAddress: "127.0.0.1",
          outcome: "rejected",
          reason: "untrusted_issuer",
          tlsProtocol: "TLSv1.3",
          clientCertificate: { subject: "CN=x", issuer: "CN=y", fingerprintSha256: fingerprint },
        },
      ]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await listConnectionEvents(store.db, "a", { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((item) => item.at)).toEqual([event("a", 1).at]);
      expect(second.nextCursor).toBeNull();

      const bad = await listConnectionEvents(store.db, "a", { limit: 2, cursor: "not-a-cursor" }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(AppError);
      expect(bad).toMatchObject({ status: 400, errors: [{ field: "cursor" }] });
    });

    it(`keeps the newest ${CONNECTIONS_KEPT_PER_LISTENER} connections per listener`, async () => {
      await open();
      const over = CONNECTIONS_KEPT_PER_LISTENER + 30;
      const rows = Array.from({ length: over }, (_, i) => event("a", i));
      // Written as the recorder does: several batches, pruned in each.
      for (let start = 0; start < over; start += 2_500) await appendConnectionEvents(store.db, rows.slice(start, start + 2_500));
      await appendConnectionEvents(store.db, [event("b", 1)]);

      const count = async (listenerId: string) =>
        Number((await store.db.selectFrom("connection_events").select((eb) => eb.fn.countAll().as("n")).where("listener_id", "=", listenerId).executeTakeFirstOrThrow()).n);
      expect(await count("a")).toBe(CONNECTIONS_KEPT_PER_LISTENER);
      expect(await count("b")).toBe(1);
      const newest = await listConnectionEvents(store.db, "a", { limit: 1, cursor: null });
      expect(newest.items[0].at).toBe(event("a", over - 1).at);
      const oldest = await store.db.selectFrom("connection_events").select("at").where("listener_id", "=", "a").orderBy("id", "asc").limit(1).executeTakeFirstOrThrow();
      expect(oldest.at).toBe(event("a", 30).at);
    });

    it("skips records of a deleted listener and deletes a listener's log with it", async () => {
      await open();
      await appendConnectionEvents(store.db, [event("a", 1), event("b", 1)]);
      await deleteListenerRow(store.db, "b");
      expect((await listConnectionEvents(store.db, "b", { limit: 10, cursor: null })).items).toEqual([]);
      // A batch that still holds records of "b" (queued before it was deleted) writes the rest.
      expect(await appendConnectionEvents(store.db, [event("a", 2), event("b", 2)])).toBe(1);
      expect((await listConnectionEvents(store.db, "a", { limit: 10, cursor: null })).items).toHaveLength(2);
    });

    it("counts config revisions, one per committed change, none for a rolled-back one", async () => {
      await open();
      expect(await readConfigRevision(store.db)).toBe(0);
      await Promise.all(Array.from({ length: 5 }, () => inTransaction(store.db, (trx) => bumpConfigRevision(trx))));
      expect(await readConfigRevision(store.db)).toBe(5);
      await inTransaction(store.db, async (trx) => {
        await bumpConfigRevision(trx);
        throw new Error("rolled back");
      }).catch(() => undefined);
      expect(await readConfigRevision(store.db)).toBe(5);
    });
  });
}
