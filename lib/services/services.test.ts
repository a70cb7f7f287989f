// The use cases with every real part: a real store (SQLite, and PostgreSQL when
// TEST_DATABASE_URL is set), the real data plane on 127.0.0.1, openssl-made certificates.
import https from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { testCert } from "../../test/certs";
import { freePort } from "../../test/ports";
import { storeTargets } from "../../test/stores";
import { listAuditEvents } from "../store/audit-repo";
import { deleteCertificate, listCertificates, uploadCertificate } from "./certificates";
import { createListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, deleteLoadBalancer } from "./load-balancers";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import type { Runtime } from "./runtime";

function get(url: string, client?: { cert: string; key: string }): Promise<{ status: number; body: Record<string, unknown> } | "refused"> {
  return new Promise((resolve) => {
    const request = https.get(
      url,
      { ca: testCert("root-ca.pem"), agent: false, timeout: 5000, ...(client ? { cert: testCert(client.cert), key: testCert(client.key) } : {}) },
      (response) => {
        let text = "";
        response.on("data", (c) => (text += c));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        response.on("error", () => resolve("refused"));
      },
    );
    request.on("error", () => resolve("refused"));
  });
}


for (const target of storeTargets()) {
  describe(`services on ${target.name}`, () => {
    let rt: Runtime;
    afterEach(() => stopTestRuntime(rt));

    async function start(): Promise<Runtime> {
      rt = await startTestRuntime(target);
      return rt;
    }

    async function httpsListener(runtime: Runtime) {
      const server = await uploadCertificate(
        runtime,
        { name: "web", kind: "server", certificate: testCert("server.pem"), privateKey: testCert("server.key").toString() },
        { name: "test" },
      );
      const lb = await createLoadBalancer(runtime, { name: "edge" }, { name: "test" });
      const port = await freePort();
      const listener = await createListener(runtime, lb.id, { name: "https", protocol: "HTTPS", port, certificateId: server.id }, { name: "test" });
      return { server, lb, listener, url: `https://127.0.0.1:${port}/` };
    }

    it("enables Client CA on a listener and the endpoint enforces it before the call returns", async () => {
      const runtime = await start();
      const ca = await uploadCertificate(runtime, { name: "corp-root", kind: "ca", certificate: testCert("root-ca.der") }, { name: "test" });
      const { listener, url } = await httpsListener(runtime);
      expect(listener.endpoint).toMatchObject({ state: "serving", url: url.slice(0, -1) });
      expect(await get(url)).toMatchObject({ status: 200 });

      const saved = await updateListener(runtime, listener.id, { clientAuth: { enabled: true, caCertificateId: ca.id } }, 1, { name: "test" });
      expect(saved.version).toBe(2);
      expect(await get(url)).toBe("refused");
      expect(await get(url, { cert: "client-other.pem", key: "client-other.key" })).toMatchObject({ status: 403, body: { reason: "untrusted_issuer" } });
      const accepted = await get(url, { cert: "client.pem", key: "client.key" });
      expect(accepted).toMatchObject({ status: 200, body: { clientCertificate: { subject: expect.stringContaining("CN=client-one") } } });

      await updateListener(runtime, listener.id, { clientAuth: { enabled: false } }, null, { name: "test" });
      expect(await get(url)).toMatchObject({ status: 200 });
      // Disabled keeps the chosen CA, so enabling again restores it.
      expect((await getListener(runtime, listener.id)).clientAuth).toEqual({ enabled: false, mode: "required", caCertificateId: ca.id, trustedCertificateIds: [] });

      const events = await listAuditEvents(runtime.store.db, { targetId: listener.id }, { limit: 10, cursor: null });
      expect(events.items.map((e) => e.action)).toEqual(["listener.client_ca_disabled", "listener.client_ca_enabled", "listener.created"]);
      expect(events.items[1].details).toMatchObject({ before: { clientAuth: { enabled: false } }, after: { clientAuth: { enabled: true, caCertificateId: ca.id } } });
    });

    it("refuses a stale version, a taken port, a missing CA and a wrong kind, and stores nothing for them", async () => {
      const runtime = await start();
      const { lb, listener, server } = await httpsListener(runtime);
      await updateListener(runtime, listener.id, { name: "renamed" }, 1, { name: "test" });
      expect((await rejection(updateListener(runtime, listener.id, { name: "other" }, 1, { name: "test" }))).status).toBe(409);

      const clash = await rejection(createListener(runtime, lb.id, { name: "two", protocol: "HTTP", port: listener.port }, { name: "test" }));
      expect(clash).toMatchObject({ status: 409, errors: [{ field: "port" }] });

      const noCa = await rejection(updateListener(runtime, listener.id, { clientAuth: { enabled: true } }, null, { name: "test" }));
      expect(noCa).toMatchObject({ status: 422, errors: [{ field: "clientAuth.caCertificateId" }] });

      const wrongKind = await rejection(updateListener(runtime, listener.id, { clientAuth: { enabled: true, caCertificateId: server.id } }, null, { name: "test" }));
      expect(wrongKind.status).toBe(422);

      const httpWithCa = await rejection(
        createListener(runtime, lb.id, { name: "plain", protocol: "HTTP", port: await freePort(), clientAuth: { enabled: true, caCertificateId: server.id } }, { name: "test" }),
      );
      expect(httpWithCa.status).toBe(422);
      const httpsNoCert = await rejection(createListener(runtime, lb.id, { name: "nocert", protocol: "HTTPS", port: await freePort() }, { name: "test" }));
      expect(httpsNoCert).toMatchObject({ status: 422, errors: [{ field: "certificateId" }] });

      const after = await getListener(runtime, listener.id);
      expect(after).toMatchObject({ name: "renamed", version: 2, clientAuth: { enabled: false } });
    });

    it("keeps certificates in use, seals private keys, and rejects duplicates", async () => {
      const runtime = await start();
      const { server, lb } = await httpsListener(runtime);
      expect((await rejection(deleteCertificate(runtime, server.id, { name: "test" }))).status).toBe(409);

      const row = await runtime.store.db.selectFrom("certificates").select("private_key_sealed").where("id", "=", server.id).executeTakeFirstOrThrow();
      expect(row.private_key_sealed).toMatch(/^v1:/);
      expect(row.private_key_sealed).not.toContain("PRIVATE KEY");

      const duplicate = await rejection(uploadCertificate(runtime, { name: "web-again", kind: "server", certificate: testCert("server.pem"), privateKey: testCert("server.key") }, { name: "test" }));
      expect(duplicate).toMatchObject({ status: 409, errors: [{ field: "certificate" }] });
      const taken = await rejection(uploadCertificate(runtime, { name: "web", kind: "ca", certificate: testCert("root-ca.pem") }, { name: "test" }));
      expect(taken).toMatchObject({ status: 409, errors: [{ field: "name" }] });

      await deleteLoadBalancer(runtime, lb.id, { name: "test" });
      await deleteCertificate(runtime, server.id, { name: "test" });
      expect((await listCertificates(runtime, {}, { limit: 10, cursor: null })).items).toEqual([]);
    });

    it("refuses a listener on a port another program holds (422 naming the port), and the others keep serving", async () => {
      const runtime = await start();
      const { lb, url } = await httpsListener(runtime);
      const blocker = await import("node:net").then(
        (net) =>
          new Promise<import("node:net").Server>((resolve) => {
            const s = net.createServer();
            s.listen(0, "127.0.0.1", () => resolve(s));
          }),
      );
      const port = (blocker.address() as import("node:net").AddressInfo).port;
      try {
        const blocked = await rejection(createListener(runtime, lb.id, { name: "blocked", protocol: "HTTP", port }, { name: "test" }));
        expect(blocked).toMatchObject({ status: 422, errors: [{ field: "port" }] });
        expect(blocked.detail).toContain(`Port ${port} on 127.0.0.1 is already in use by another program (`);
        expect(await get(url)).toMatchObject({ status: 200 });
      } finally {
        blocker.close();
      }
    });
  });
}
