// Saves through the real use cases against the real endpoint: what a client observes right after
// the API answers, under load, across faults and deletions, and what the connection log (read
// from the store, as the API does) says about it. Real stores, sockets, openssl-made certificates.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testCert, testCertPath } from "../../test/certs";
import { freePort } from "../../test/ports";
import { storeTargets } from "../../test/stores";
import { KeepAliveClient, attempt, clientCred, eventually, tcpConnectError } from "../../test/dataplane";
import { uploadCertificate } from "./certificates";
import { listListenerConnections } from "./connections";
import { createListener, deleteListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, deleteLoadBalancer } from "./load-balancers";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { startRuntime, type Runtime } from "./runtime";

const ACTOR = { name: "test" };

for (const target of storeTargets()) {
  describe(`endpoint changes through the services on ${target.name}`, () => {
    let rt: Runtime | undefined;
    const cleanup: (() => unknown)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0)) await step();
      await stopTestRuntime(rt);
      rt = undefined;
    });

    async function setup() {
      const runtime = await startTestRuntime(target);
      rt = runtime;
      const upload = (name: string, kind: "ca" | "client" | "server", file: string, key?: string) =>
        uploadCertificate(runtime, { name, kind, certificate: testCert(file), privateKey: key ? testCert(key).toString() : null }, ACTOR);
      const server = await upload("web", "server", "server.pem", "server.key");
      const root = await upload("root", "ca", "root-ca.pem");
      const other = await upload("other", "ca", "other-ca.pem");
      const pinned = await upload("client-one", "client", "client.pem");
      const lb = await createLoadBalancer(runtime, { name: "edge" }, ACTOR);
      const port = await freePort();
      const listener = await createListener(runtime, lb.id, { name: "https", protocol: "HTTPS", port, certificateId: server.id }, ACTOR);
      const save = (clientAuth: Record<string, unknown>) => updateListener(runtime, listener.id, { clientAuth }, null, ACTOR);
      const log = (limit = 50, cursor: string | null = null) => listListenerConnections(runtime, listener.id, { limit, cursor });
      return { runtime, lb, listener, port, save, log, ids: { server: server.id, root: root.id, other: other.id, pinned: pinned.id } };
    }

    it("logs every connection with its reason in the store, newest first, page by page", async () => {
      const { port, save, log, ids } = await setup();
      await save({ enabled: true, caCertificateId: ids.root, trustedCertificateIds: [ids.pinned] });
      const clients: [string | null, string][] = [
        ["client", "ok"],
        [null, "no_certificate"],
        ["client-other", "untrusted_issuer"],
        ["client-expired", "expired"],
        ["client-future", "not_yet_valid"],
        ["client-serveronly", "bad_key_usage"],
        ["client-two", "not_pinned"],
      ];
      for (const [name] of clients) {
        const result = await attempt(port, name ? clientCred(name) : {});
        // A missing certificate fails the handshake; every other refusal is a 403 naming the reason.
        expect(result.response?.status ?? "refused").toBe(name === "client" ? 200 : name === null ? "refused" : 403);
      }
      // A TCP client that never finishes a handshake.
      await new Promise<void>((resolve) => net.connect(port, "127.0.0.1", function (this: net.Socket) { this.end(); }).on("close", () => resolve()));

      // Read right after the connections: the API writes what is still queued before it reads.
      const page = await eventually(async () => {
        const result = await log();
        expect(result.items).toHaveLength(8);
        return result;
      });
      expect(page.items.map((item) => item.reason)).toEqual(["tls_error", ...clients.map(([, reason]) => reason).reverse()]);
      expect(page.items.at(-1)).toEqual({
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        remoteAddress: "127.0.0.1",
        outcome: "accepted",
        reason: "ok",
        tlsProtocol: "TLSv1.3",
        clientCertificate: { subject: "CN=client-one,O=Test Corp", issuer: "CN=Test Root CA,O=Test Corp", fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      expect(page.items[0]).toMatchObject({ outcome: "rejected", tlsProtocol: null, clientCertificate: null });
      expect(page.nextCursor).toBeNull();

      const first = await log(3);
      const second = await log(3, first.nextCursor);
      const third = await log(3, second.nextCursor);
      expect([...first.items, ...second.items, ...third.items]).toEqual(page.items);
      expect(third.nextCursor).toBeNull();
    });

    it("puts each save in force for the first new connection after the answer, without cutting open connections", async () => {
      const { port, save, ids } = await setup();
      const kept = await KeepAliveClient.open(port);
      cleanup.push(() => kept.close());
      for (let i = 0; i < 10; i++) {
        const enabled = i % 2 === 0;
        await save({ enabled, caCertificateId: ids.root });
        // No waiting: the very next connection gets the saved rules.
        const anonymous = await attempt(port);
        expect(anonymous.response?.status ?? "refused").toBe(enabled ? "refused" : 200);
        expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
        // The connection opened before the first save still answers, as it was accepted.
        const again = await kept.request();
        expect(again?.status).toBe(200);
        expect(again!.json().clientCertificate).toBeNull();
      }
      expect(kept.isClosed).toBe(false);
    });

    it("serves every client valid before and after a change while changes are saved under load", async () => {
      const { port, save, ids } = await setup();
      await save({ enabled: true, caCertificateId: ids.root });
      let stop = false;
      let served = 0;
      const failures: unknown[] = [];
      const worker = async () => {
        while (!stop) {
          const result = await attempt(port, clientCred("client"));
          if (result.response?.status === 200) served += 1;
          else failures.push(result.error ?? "no response");
        }
      };
      const workers = [worker(), worker(), worker(), worker()];
      for (let i = 0; i < 20; i++) {
        // CA only <-> CA and the client pinned: both let "client" in.
        await save({ enabled: true, caCertificateId: ids.root, trustedCertificateIds: i % 2 ? [] : [ids.pinned] });
        // Let clients in under each configuration before the next save.
        const before = served;
        await eventually(() => expect(served).toBeGreaterThan(before));
      }
      stop = true;
      await Promise.all(workers);
      expect(failures).toEqual([]);
      expect(served).toBeGreaterThanOrEqual(20);
    });

    it("shows a port taken while the data plane was down as an error naming the program, and recovers once it is free and saved again", async () => {
      const { runtime: first, lb, port: healthyPort } = await setup();
      const port = await freePort();
      const blocked = await createListener(first, lb.id, { name: "blocked", protocol: "HTTP", port }, ACTOR);
      expect(blocked.endpoint.state).toBe("serving");

      // The data plane stops; another program takes the port; the data plane starts again on the same store.
      await first.dataplane.close();
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
      cleanup.push(() => blocker.close());
      const runtime = await startRuntime(first.settings, { store: first.store });
      rt = runtime;

      const command = fs.readFileSync("/proc/self/comm", "utf8").trim();
      expect((await getListener(runtime, blocked.id)).endpoint).toEqual({
        url: `http://127.0.0.1:${port}`,
        state: "error",
        error: `Port ${port} on 127.0.0.1 is already in use by another program ("${command}", pid ${process.pid}); stop that program or pick another port.`,
      });
      expect((await attempt(healthyPort)).response?.status).toBe(200);

      await new Promise((resolve) => blocker.close(resolve));
      const saved = await updateListener(runtime, blocked.id, { name: "unblocked" }, null, ACTOR);
      expect(saved.endpoint).toEqual({ url: `http://127.0.0.1:${port}`, state: "serving", error: null });
      expect(await tcpConnectError(port)).toBeNull();
    });

    it("closes the endpoint and its open connections when the listener or its load balancer is deleted", async () => {
      const { runtime, lb, listener, port } = await setup();
      const kept = await KeepAliveClient.open(port);
      cleanup.push(() => kept.close());
      expect((await kept.request())?.status).toBe(200);
      await deleteListener(runtime, listener.id, ACTOR);
      await kept.closed;
      expect(await tcpConnectError(port)).toBe("ECONNREFUSED");

      const again = await createListener(runtime, lb.id, { name: "again", protocol: "HTTP", port }, ACTOR);
      expect(again.endpoint.state).toBe("serving");
      await deleteLoadBalancer(runtime, lb.id, ACTOR);
      expect(await tcpConnectError(port)).toBe("ECONNREFUSED");
      expect(runtime.dataplane.status(again.id).state).toBe("stopped");
    });

    it.each(["-tls1_2", "-tls1_3"])("openssl %s: a session does not resume across a Client CA change", async (flag) => {
      const { listener, port, save, log, ids } = await setup();
      await save({ enabled: true, caCertificateId: ids.root });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-sess-"));
      cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      const session = path.join(dir, "session.pem");
      const sClient = (...args: string[]) =>
        new Promise<string>((resolve) => {
          const child = execFile(
            "openssl",
            ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-CAfile", testCertPath("root-ca.pem"), flag, "-ign_eof",
              "-cert", testCertPath("client.pem"), "-key", testCertPath("client.key"), ...args],
            { timeout: 10_000 },
            (_error, stdout) => resolve(stdout),
          );
          child.stdin!.end("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        });

      expect(await sClient("-sess_out", session)).toContain("HTTP/1.1 200");
      expect(await sClient("-sess_in", session)).toMatch(/^Reused, TLSv1\.[23]/m); // control: same configuration resumes

      // The client's CA is swapped for another one: the saved session must not carry it past.
      await save({ enabled: true, caCertificateId: ids.other });
      const after = await sClient("-sess_in", session);
      expect(after).not.toMatch(/^Reused,/m);
      // Refused, and told why: the one answer is the 403 naming the reason.
      expect(after).not.toContain("HTTP/1.1 200");
      expect(after).toContain("HTTP/1.1 403 Forbidden");
      expect(after).toContain('"reason":"untrusted_issuer"');
      expect((await log(1)).items[0]).toMatchObject({ outcome: "rejected", reason: "untrusted_issuer" });
      expect((await getListener(rt!, listener.id)).clientAuth.caCertificateId).toBe(ids.other);
    });
  });
}
