// The incremental loader against a fresh full load, after every kind of change made through the
// real use cases (a real SQLite file, and PostgreSQL when TEST_DATABASE_URL is set): its output must
// equal what a loader without memory reads, the listeners the change did not touch must come back as
// the same objects, and private keys must be unsealed only for server certificates it had not seen.
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { crlFile, testCertText } from "../../test/certs";
import { freePort } from "../../test/ports";
import { storeTargets } from "../../test/stores";
import type { ListenerRuntimeConfig } from "../dataplane";
import type { KeySealer } from "../store/sealed-keys";
import { deleteCertificate, uploadCertificate } from "./certificates";
import { deleteCrl, uploadCrl } from "./crls";
import { syncDataplane } from "./dataplane-sync";
import { createListener, deleteListener, updateListener } from "./listeners";
import { createLoadBalancer, deleteLoadBalancer } from "./load-balancers";
import { createPool, updatePool } from "./pools";
import { startRuntime, type Runtime } from "./runtime";
import { createRuntimeConfigLoader, type RuntimeConfigLoader } from "./runtime-config-loader";
import { localSettings } from "../../test/settings";

const ACTOR = { name: "test" };
const HEALTH = { path: "/healthz", intervalSeconds: 30, healthyThreshold: 1, unhealthyThreshold: 1 };

/** The real sealer, counting what it opens (by certificate id). */
function countingSealer(sealer: KeySealer): KeySealer & { opened: string[] } {
  const opened: string[] = [];
  return { opened, seal: (text, context) => sealer.seal(text, context), open: (sealed, context) => (opened.push(context), sealer.open(sealed, context)) };
}

for (const target of storeTargets()) {
  describe(`the incremental runtime config loader on ${target.name}`, () => {
    let rt: Runtime | undefined;
    afterEach(async () => {
      await rt?.dataplane.close();
      await rt?.store.close();
      rt = undefined;
    });

    /** A console that serves nothing itself (CERTGATE_EMBEDDED_DATAPLANE=0): only the loader under test loads. */
    async function start() {
      const store = await target.open();
      rt = await startRuntime(localSettings(store.dataDir, { embeddedDataplane: false }), { store });
      const sealer = countingSealer(rt.sealer);
      const source = { store: rt.store, settings: rt.settings, sealer };
      const loader = createRuntimeConfigLoader(source);
      let last = new Map<string, ListenerRuntimeConfig>();
      /**
       * Loads, compares with a fresh full load, and checks identity: `changed` listeners are new
       * objects, every other listener the object of the previous load. Returns the ids unsealed.
       */
      const expectLoad = async (changed: string[], options: { full?: boolean } = {}) => {
        sealer.opened.length = 0;
        const configs = await loader.load(options);
        const opened = [...sealer.opened];
        const fresh = await createRuntimeConfigLoader(rt!).load();
        expect(configs).toEqual(fresh);
        const byId = new Map(configs.map((config) => [config.id, config]));
        for (const [id, config] of byId) {
          if (!last.has(id)) continue;
          if (changed.includes(id)) expect(config, `listener ${id} was rebuilt`).not.toBe(last.get(id));
          else expect(config, `listener ${id} was kept`).toBe(last.get(id));
        }
        last = byId;
        return { configs, byId, opened };
      };
      return { rt, loader: loader as RuntimeConfigLoader, expectLoad };
    }

    async function fixtures(runtime: Runtime) {
      const web = await uploadCertificate(runtime, { name: "web", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") }, ACTOR);
      const root = await uploadCertificate(runtime, { name: "root", kind: "ca", certificate: testCertText("root-ca.pem") }, ACTOR);
      const other = await uploadCertificate(runtime, { name: "other", kind: "ca", certificate: testCertText("other-ca.pem") }, ACTOR);
      const pinned = await uploadCertificate(runtime, { name: "pinned", kind: "client", certificate: testCertText("client.pem") }, ACTOR);
      const lb = await createLoadBalancer(runtime, { name: "edge" }, ACTOR);
      const pool = await createPool(runtime, lb.id, { name: "app", members: [{ address: "127.0.0.1", port: 9 }], healthCheck: HEALTH }, ACTOR);
      const listener = async (name: string, extra: Record<string, unknown> = {}) =>
        (await createListener(runtime, lb.id, { name, protocol: "HTTPS", port: await freePort(), certificateId: web.id, ...extra }, ACTOR)).id;
      const plain = await listener("plain");
      const withRoot = await listener("with-root", { clientAuth: { enabled: true, caCertificateId: root.id, trustedCertificateIds: [pinned.id] } });
      const withOther = await listener("with-other", { clientAuth: { enabled: true, mode: "optional", caCertificateId: other.id } });
      const pooled = await listener("pooled", { defaultPoolId: pool.id });
      const http = (await createListener(runtime, lb.id, { name: "http", protocol: "HTTP", port: await freePort(), defaultPoolId: pool.id }, ACTOR)).id;
      return { web, root, other, pinned, lb, pool, plain, withRoot, withOther, pooled, http };
    }

    it("picks up listener edits, creations and deletions, and keeps the rest as the same objects", async () => {
      const { rt: runtime, expectLoad } = await start();
      const f = await fixtures(runtime);
      const first = await expectLoad([]);
      expect(first.configs.map((c) => c.id).sort()).toEqual([f.plain, f.withRoot, f.withOther, f.pooled, f.http].sort());
      // Four HTTPS listeners share one server certificate: its key is unsealed once.
      expect(first.opened).toEqual([f.web.id]);

      // Nothing changed: every object is the same, nothing is unsealed.
      expect((await expectLoad([])).opened).toEqual([]);

      await updateListener(runtime, f.plain, { name: "plain-renamed" }, null, ACTOR);
      let loaded = await expectLoad([f.plain]);
      expect(loaded.byId.get(f.plain)!.name).toBe("plain-renamed");
      // The certificate did not change: its key is not unsealed again.
      expect(loaded.opened).toEqual([]);

      await updateListener(runtime, f.plain, { clientAuth: { enabled: true, caCertificateId: f.root.id } }, null, ACTOR);
      await updateListener(runtime, f.withRoot, { clientAuth: { trustedCertificateIds: [] } }, null, ACTOR);
      loaded = await expectLoad([f.plain, f.withRoot]);
      expect(loaded.byId.get(f.withRoot)!.tls!.clientAuth.pinnedCertificatesDer).toEqual([]);

      await updateListener(runtime, f.withOther, { port: await freePort() }, null, ACTOR);
      await expectLoad([f.withOther]);

      const created = (await createListener(runtime, f.lb.id, { name: "new", protocol: "HTTPS", port: await freePort(), certificateId: f.web.id }, ACTOR)).id;
      loaded = await expectLoad([]);
      expect(loaded.byId.has(created)).toBe(true);
      expect(loaded.opened).toEqual([]);

      await deleteListener(runtime, f.pooled, ACTOR);
      loaded = await expectLoad([]);
      expect(loaded.byId.has(f.pooled)).toBe(false);

      // The periodic resync: everything read again, new objects with the same content.
      const ids = [...loaded.byId.keys()];
      loaded = await expectLoad(ids, { full: true });
      expect(loaded.opened).toEqual([f.web.id]);
    });

    it("rebuilds the listeners of a replaced certificate, unsealing only the new key", async () => {
      const { rt: runtime, expectLoad } = await start();
      const f = await fixtures(runtime);
      await expectLoad([]);
      const next = await uploadCertificate(runtime, { name: "web-2", kind: "server", certificate: testCertText("upload-server.pem"), privateKey: testCertText("upload-server.key") }, ACTOR);
      // An upload nobody uses changes no listener.
      expect((await expectLoad([])).opened).toEqual([]);

      await updateListener(runtime, f.plain, { certificateId: next.id }, null, ACTOR);
      let loaded = await expectLoad([f.plain]);
      expect(loaded.opened).toEqual([next.id]);
      expect(loaded.byId.get(f.plain)!.tls!.certificateChainPem).not.toBe(loaded.byId.get(f.withRoot)!.tls!.certificateChainPem);

      // Back to the first certificate, then the second deleted: nothing uses it, nothing else changes.
      await updateListener(runtime, f.plain, { certificateId: f.web.id }, null, ACTOR);
      loaded = await expectLoad([f.plain]);
      expect(loaded.opened).toEqual([]);
      await deleteCertificate(runtime, next.id, ACTOR);
      await expectLoad([]);

      // A certificate record rewritten in place (no use case does that; the content digest is what
      // tells): every listener using it is rebuilt and its key unsealed again.
      const sealed = runtime.sealer.seal(testCertText("upload-server.key"), f.web.id);
      await sql`update certificates set pem = ${testCertText("upload-server.pem")}, content_digest = ${"rewritten"}, private_key_sealed = ${sealed} where id = ${f.web.id}`.execute(runtime.store.db);
      loaded = await expectLoad([f.plain, f.withRoot, f.withOther, f.pooled]);
      expect(loaded.opened).toEqual([f.web.id]);
      expect(loaded.byId.get(f.http)!.tls).toBeNull();
    });

    it("rebuilds only the pool of the listeners forwarding to an edited pool", async () => {
      const { rt: runtime, expectLoad } = await start();
      const f = await fixtures(runtime);
      const before = await expectLoad([]);
      await updatePool(runtime, f.pool.id, { members: [{ address: "127.0.0.1", port: 10, weight: 3 }] }, null, ACTOR);
      const loaded = await expectLoad([f.pooled, f.http]);
      expect(loaded.byId.get(f.pooled)!.pool!.members).toEqual([{ address: "127.0.0.1", port: 10, weight: 3 }]);
      // The TLS part (with its unsealed key) is the one already built.
      expect(loaded.byId.get(f.pooled)!.tls).toBe(before.byId.get(f.pooled)!.tls);
      expect(loaded.opened).toEqual([]);

      // A listener moved to another pool, and back to the echo.
      const second = await createPool(runtime, f.lb.id, { name: "second", members: [{ address: "127.0.0.1", port: 11 }], healthCheck: HEALTH }, ACTOR);
      await updateListener(runtime, f.plain, { defaultPoolId: second.id }, null, ACTOR);
      expect((await expectLoad([f.plain])).byId.get(f.plain)!.pool!.id).toBe(second.id);
      await updateListener(runtime, f.plain, { defaultPoolId: null }, null, ACTOR);
      expect((await expectLoad([f.plain])).byId.get(f.plain)!.pool).toBeNull();
    });

    it("rebuilds the listeners of a Client CA whose CRLs change, and only those", async () => {
      const { rt: runtime, expectLoad } = await start();
      const f = await fixtures(runtime);
      await expectLoad([]);
      const first = await uploadCrl(runtime, f.root.id, crlFile("crl-root-1.pem").toString(), ACTOR);
      let loaded = await expectLoad([f.withRoot]);
      expect(loaded.byId.get(f.withRoot)!.tls!.clientAuth.crlsDer).toHaveLength(1);

      // A newer CRL of the same issuer takes its place.
      await uploadCrl(runtime, f.root.id, crlFile("crl-root-2.pem").toString(), ACTOR);
      await expectLoad([f.withRoot]);
      await uploadCrl(runtime, f.other.id, crlFile("crl-other.pem").toString(), ACTOR);
      await expectLoad([f.withOther]);

      // The older one deleted: not in force, nothing changes.
      await deleteCrl(runtime, f.root.id, first.id, ACTOR);
      await expectLoad([]);

      // A listener turning Client CA on with a CA that has a CRL gets it.
      await updateListener(runtime, f.plain, { clientAuth: { enabled: true, caCertificateId: f.other.id } }, null, ACTOR);
      loaded = await expectLoad([f.plain]);
      expect(loaded.byId.get(f.plain)!.tls!.clientAuth.crlsDer).toEqual(loaded.byId.get(f.withOther)!.tls!.clientAuth.crlsDer);
    });

    it("drops every listener of a deleted load balancer", async () => {
      const { rt: runtime, expectLoad } = await start();
      const f = await fixtures(runtime);
      const otherLb = await createLoadBalancer(runtime, { name: "other" }, ACTOR);
      const kept = (await createListener(runtime, otherLb.id, { name: "kept", protocol: "HTTPS", port: await freePort(), certificateId: f.web.id }, ACTOR)).id;
      await expectLoad([]);
      await deleteLoadBalancer(runtime, f.lb.id, ACTOR);
      const loaded = await expectLoad([]);
      expect([...loaded.byId.keys()]).toEqual([kept]);
    });

    it("serializes concurrent loads, and forgets its memory after a failed one", async () => {
      const { rt: runtime, loader, expectLoad } = await start();
      const f = await fixtures(runtime);
      await expectLoad([]);
      await updateListener(runtime, f.plain, { name: "renamed" }, null, ACTOR);
      const [a, b] = await Promise.all([loader.load(), loader.load()]);
      // The second load ran after the first and found nothing new: the same objects.
      expect(b).toEqual(a);
      b.forEach((config, i) => expect(config).toBe(a[i]));

      // A load that fails half-way (the CRL table is away) leaves no half-updated memory behind:
      // the next one reads everything again.
      await sql`alter table crls rename to crls_away`.execute(runtime.store.db);
      await expect(loader.load()).rejects.toThrow();
      await sql`alter table crls_away rename to crls`.execute(runtime.store.db);
      await expectLoad(a.map((config) => config.id));
    });
  });
}

describe("the console's own loading", () => {
  let rt: Runtime | undefined;
  afterEach(async () => {
    await rt?.dataplane.close();
    await rt?.store.close();
    rt = undefined;
  });

  it("loads nothing (unseals no key) for a data plane that reads the store itself, and incrementally in process", async () => {
    const [sqlite] = storeTargets();
    for (const embeddedDataplane of [false, true]) {
      const store = await sqlite.open();
      rt = await startRuntime(localSettings(store.dataDir, { embeddedDataplane }), { store });
      const sealer = countingSealer(rt.sealer);
      rt.sealer = sealer;
      const web = await uploadCertificate(rt, { name: "web", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") }, ACTOR);
      const lb = await createLoadBalancer(rt, { name: "edge" }, ACTOR);
      const listener = await createListener(rt, lb.id, { name: "a", protocol: "HTTPS", port: await freePort(), certificateId: web.id }, ACTOR);
      await updateListener(rt, listener.id, { name: "b" }, null, ACTOR);
      await syncDataplane(rt);
      // In process: the key once, when the listener first appeared; the rename and the idle sync reuse it.
      expect(sealer.opened).toEqual(embeddedDataplane ? [web.id] : []);
      if (embeddedDataplane) expect(rt.dataplane.status(listener.id).state).toBe("serving");
      await rt.dataplane.close();
      await rt.store.close();
      rt = undefined;
    }
  });
});
