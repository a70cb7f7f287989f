// The store against real databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
import { afterEach, describe, expect, it } from "vitest";
import { listenerRecord } from "../../test/rows";
import { storeTargets } from "../../test/stores";
import { listAuditEvents, recordAuditEvent } from "./audit-repo";
import { findCertificateUses, insertCertificate, listCertificates, type CertificateRow } from "./certificates-repo";
import { inTransaction, isUniqueViolation, type Store } from "./database";
import { findListener, insertListener, updateListenerIfVersion } from "./listeners-repo";
import { insertLoadBalancer, listLoadBalancers } from "./load-balancers-repo";
import { claimMetaKey } from "./meta-repo";

function certificateRow(id: string, overrides: Partial<CertificateRow> = {}): CertificateRow {
  return {
    id,
    name: `cert-${id}`,
    kind: "ca",
    fingerprint_sha256: id.padEnd(64, "0"),
    content_digest: `digest-${id}`,
    certificate_count: 1,
    pem: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
    details_json: "{}",
    private_key_sealed: null,
    created_at: new Date().toISOString(),
    ...overrides,
  };
}


for (const target of storeTargets()) {
  describe(`store on ${target.name}`, () => {
    let store: Store;
    afterEach(async () => {
      await store?.close();
    });

    it("migrates an empty database and can be reopened without migrating twice", async () => {
      store = await target.open();
      await insertLoadBalancer(store.db, { id: "lb1", name: "edge", created_at: new Date().toISOString() });
      const page = await listLoadBalancers(store.db, { limit: 10, cursor: null });
      expect(page.items.map((i) => [i.name, i.listener_count])).toEqual([["edge", 0]]);
    });

    it("refuses a second listener on the same port and a duplicate certificate name", async () => {
      store = await target.open();
      await insertLoadBalancer(store.db, { id: "lb1", name: "edge", created_at: new Date().toISOString() });
      await insertListener(store.db, listenerRecord("a", 8443));
      const portClash = await insertListener(store.db, listenerRecord("b", 8443)).catch((e: unknown) => e);
      expect(isUniqueViolation(portClash)).toBe(true);

      await insertCertificate(store.db, certificateRow("c1", { name: "corp" }));
      const nameClash = await insertCertificate(store.db, certificateRow("c2", { name: "corp" })).catch((e: unknown) => e);
      expect(isUniqueViolation(nameClash)).toBe(true);
    });

    it("rolls the change and its audit event back together", async () => {
      store = await target.open();
      await expect(
        inTransaction(store.db, async (trx) => {
          await insertCertificate(trx, certificateRow("c1"));
          await recordAuditEvent(trx, { actor: { name: "test" }, action: "certificate.uploaded", target: { type: "certificate", id: "c1", name: "x" } });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect((await listCertificates(store.db, {}, { limit: 10, cursor: null })).items).toEqual([]);
      expect((await listAuditEvents(store.db, {}, { limit: 10, cursor: null })).items).toEqual([]);
    });

    it("writes a listener only at the version it was read at", async () => {
      store = await target.open();
      await insertLoadBalancer(store.db, { id: "lb1", name: "edge", created_at: new Date().toISOString() });
      await insertCertificate(store.db, certificateRow("t1", { kind: "client" }));
      await insertCertificate(store.db, certificateRow("t2", { kind: "client" }));
      await insertListener(store.db, listenerRecord("a", 8443));

      const first = { ...listenerRecord("a", 8443), version: 2, trusted_certificate_ids: ["t2", "t1"] };
      expect(await updateListenerIfVersion(store.db, first, 1)).toBe(true);
      const stale = { ...listenerRecord("a", 8443), version: 2, name: "other" };
      expect(await updateListenerIfVersion(store.db, stale, 1)).toBe(false);

      const saved = await findListener(store.db, "a");
      expect(saved?.version).toBe(2);
      expect(saved?.name).toBe("l-a");
      expect(saved?.trusted_certificate_ids).toEqual(["t2", "t1"]);
      const uses = await findCertificateUses(store.db, ["t1", "t2"]);
      expect(uses.map((u) => u.certificateId).sort()).toEqual(["t1", "t2"]);
    });

    it("pages lists newest first with a cursor that survives new rows", async () => {
      store = await target.open();
      for (let i = 0; i < 5; i++) {
        await insertCertificate(store.db, certificateRow(`c${i}`, { created_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() }));
      }
      const first = await listCertificates(store.db, {}, { limit: 2, cursor: null });
      expect(first.items.map((r) => r.id)).toEqual(["c4", "c3"]);
      await insertCertificate(store.db, certificateRow("new", { created_at: new Date(Date.UTC(2026, 5, 1)).toISOString() }));
      const second = await listCertificates(store.db, {}, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((r) => r.id)).toEqual(["c2", "c1"]);
      const third = await listCertificates(store.db, {}, { limit: 2, cursor: second.nextCursor });
      expect(third.items.map((r) => r.id)).toEqual(["c0"]);
      expect(third.nextCursor).toBeNull();
    });

    it("lists audit events newest first, filtered by target", async () => {
      store = await target.open();
      for (const [i, type] of (["certificate", "listener", "listener"] as const).entries()) {
        await recordAuditEvent(store.db, { actor: { name: "test" }, action: `a${i}`, target: { type, id: `id${i}`, name: `n${i}` }, details: { i } });
      }
      const all = await listAuditEvents(store.db, {}, { limit: 2, cursor: null });
      expect(all.items.map((e) => e.action)).toEqual(["a2", "a1"]);
      const rest = await listAuditEvents(store.db, {}, { limit: 2, cursor: all.nextCursor });
      expect(rest.items.map((e) => e.action)).toEqual(["a0"]);
      const listeners = await listAuditEvents(store.db, { targetType: "listener" }, { limit: 10, cursor: null });
      expect(listeners.items.map((e) => e.details)).toEqual([{ i: 2 }, { i: 1 }]);
    });

    it("lets exactly one caller claim a meta key", async () => {
      store = await target.open();
      const claims = await Promise.all([claimMetaKey(store.db, "demo_seeded", "1"), claimMetaKey(store.db, "demo_seeded", "2")]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
}
