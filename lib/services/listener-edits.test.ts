// The Edit dialog's use cases end to end on the real store and data plane: moving a listener to
// another port, the 409 that names who holds a port, releasing a Client CA kept while disabled,
// and the demo files "Test this listener" names.
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { testCert } from "../../test/certs";
import { freePort } from "../../test/ports";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { deleteCertificate, listCertificates, uploadCertificate } from "./certificates";
import { seedDemoOnce } from "./demo-seed";
import { listenerTestFiles } from "./listener-test-files";
import { createListener, getListener, updateListener } from "./listeners";
import { createLoadBalancer, getLoadBalancer } from "./load-balancers";
import type { Runtime } from "./runtime";

type Answer = { status: number; body: Record<string, unknown> } | "refused";

function get(url: string, tls: { ca: Buffer; cert?: Buffer; key?: Buffer }): Promise<Answer> {
  return new Promise((resolve) => {
    const request = https.get(url, { ...tls, agent: false, timeout: 5000 }, (response) => {
      let text = "";
      response.on("data", (c) => (text += c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      response.on("error", () => resolve("refused"));
    });
    request.on("error", () => resolve("refused"));
  });
}

/** Whether anything accepts a TCP connection on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

for (const target of storeTargets()) {
  describe(`listener edits on ${target.name}`, () => {
    let rt: Runtime;
    afterEach(() => stopTestRuntime(rt));

    async function httpsListener(lbName = "edge", name = "https") {
      const server = await uploadCertificate(rt, { name: `web-${lbName}`, kind: "server", certificate: testCert("server.pem"), privateKey: testCert("server.key") }, { name: "test" }).catch(
        async () => (await listCertificates(rt, { kind: "server" }, { limit: 10, cursor: null })).items[0],
      );
      const lb = await createLoadBalancer(rt, { name: lbName }, { name: "test" });
      const listener = await createListener(rt, lb.id, { name, protocol: "HTTPS", port: await freePort(), certificateId: server.id }, { name: "test" });
      return { server, lb, listener };
    }

    it("moves a listener to another port: the old port stops, the new one serves before the call returns", async () => {
      rt = await startTestRuntime(target);
      const { listener } = await httpsListener();
      const oldPort = listener.port;
      const newPort = await freePort();

      const saved = await updateListener(rt, listener.id, { port: newPort }, listener.version, { name: "test" });
      expect(saved).toMatchObject({ port: newPort, version: 2, endpoint: { state: "serving", url: `https://127.0.0.1:${newPort}` } });
      expect(await get(`https://127.0.0.1:${newPort}/`, { ca: testCert("root-ca.pem") })).toMatchObject({ status: 200 });
      expect(await listening(oldPort)).toBe(false);
      expect((await getListener(rt, listener.id)).port).toBe(newPort);
    });

    it("refuses a port another listener uses, naming that listener and its load balancer, on create and on edit", async () => {
      rt = await startTestRuntime(target);
      const first = await httpsListener("edge", "front");
      const second = await httpsListener("backoffice", "admin");
      const message = `Port ${first.listener.port} is already used by listener "front" on load balancer "edge"; choose another port.`;

      const onCreate = await rejection(createListener(rt, second.lb.id, { name: "plain", protocol: "HTTP", port: first.listener.port }, { name: "test" }));
      expect(onCreate).toMatchObject({ status: 409, detail: message, errors: [{ field: "port", message }] });
      const onEdit = await rejection(updateListener(rt, second.listener.id, { port: first.listener.port }, null, { name: "test" }));
      expect(onEdit).toMatchObject({ status: 409, detail: message, errors: [{ field: "port" }] });

      // Nothing moved: the second listener keeps its port and still serves there.
      expect((await getListener(rt, second.listener.id)).port).toBe(second.listener.port);
      expect((await getLoadBalancer(rt, second.lb.id)).listeners).toHaveLength(1);
      expect(await get(`https://127.0.0.1:${second.listener.port}/`, { ca: testCert("root-ca.pem") })).toMatchObject({ status: 200 });
    });

    it("releases a CA kept by a disabled Client CA, so the certificate can be deleted", async () => {
      rt = await startTestRuntime(target);
      const ca = await uploadCertificate(rt, { name: "corp-root", kind: "ca", certificate: testCert("root-ca.pem") }, { name: "test" });
      const { listener } = await httpsListener();
      await updateListener(rt, listener.id, { clientAuth: { enabled: true, caCertificateId: ca.id } }, null, { name: "test" });
      await updateListener(rt, listener.id, { clientAuth: { enabled: false } }, null, { name: "test" });
      expect((await rejection(deleteCertificate(rt, ca.id, { name: "test" }))).status).toBe(409);

      const released = await updateListener(rt, listener.id, { clientAuth: { caCertificateId: null } }, null, { name: "test" });
      expect(released.clientAuth).toEqual({ enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [] });
      await deleteCertificate(rt, ca.id, { name: "test" });
      expect((await listCertificates(rt, { kind: "ca" }, { limit: 10, cursor: null })).items).toEqual([]);
    });

    it("names the demo's files where they fit the listener, and they work as named", async () => {
      rt = await startTestRuntime(target);
      rt.settings.demoHttpPort = await freePort();
      rt.settings.demoHttpsPort = await freePort();
      await seedDemoOnce(rt);
      const lb = (await getLoadBalancer(rt, (await rt.store.db.selectFrom("load_balancers").select("id").executeTakeFirstOrThrow()).id));
      const demoHttps = lb.listeners.find((l) => l.protocol === "HTTPS")!;
      const demoHttp = lb.listeners.find((l) => l.protocol === "HTTP")!;
      const demoDir = `${rt.settings.dataDir}/demo`;

      // Client CA off: the CA file verifies the server, and any client certificate is fine.
      expect(await listenerTestFiles(rt, demoHttps.id)).toEqual({
        serverCa: `${demoDir}/ca.crt`,
        clientCertificate: `${demoDir}/client.crt`,
        clientKey: `${demoDir}/client.key`,
      });
      expect(await listenerTestFiles(rt, demoHttp.id)).toEqual({ serverCa: null, clientCertificate: null, clientKey: null });

      // Client CA on with the demo CA: the named files get in, exactly as the panel prints them.
      const demoCa = (await listCertificates(rt, { kind: "ca" }, { limit: 10, cursor: null })).items.find((c) => c.name === "demo-ca")!;
      await updateListener(rt, demoHttps.id, { clientAuth: { enabled: true, caCertificateId: demoCa.id } }, null, { name: "test" });
      const files = await listenerTestFiles(rt, demoHttps.id);
      expect(files.clientCertificate).toBe(`${demoDir}/client.crt`);
      const url = `https://127.0.0.1:${demoHttps.port}/`;
      const tls = { ca: fs.readFileSync(files.serverCa!), cert: fs.readFileSync(files.clientCertificate!), key: fs.readFileSync(files.clientKey!) };
      expect(await get(url, tls)).toMatchObject({ status: 200, body: { clientCertificate: { subject: expect.stringContaining("demo-client") } } });

      // Client CA on with another CA: the demo client would be refused, so it is not offered.
      const other = await uploadCertificate(rt, { name: "corp-root", kind: "ca", certificate: testCert("root-ca.pem") }, { name: "test" });
      await updateListener(rt, demoHttps.id, { clientAuth: { caCertificateId: other.id } }, null, { name: "test" });
      expect(await listenerTestFiles(rt, demoHttps.id)).toEqual({ serverCa: `${demoDir}/ca.crt`, clientCertificate: null, clientKey: null });
      // The endpoint refuses it after the handshake with a 403 that names why.
      expect(await get(url, tls)).toMatchObject({ status: 403, body: { reason: "untrusted_issuer" } });
    });
  });
}
