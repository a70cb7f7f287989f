// clientAuth.mode through the real route handlers, store and data plane: stored and shown (default
// "required"), changed by PATCH with the audit's before/after, refused with a clear 422 when unknown
// (nothing stored), and in force on the endpoint for the next connection.
import tls from "node:tls";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { testCertText } from "../../test/certs";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import type { Runtime } from "../services/runtime";

/** The echo's X-Client-Cert-Verify for one GET, or "refused" when no HTTP answer came or it was not 200. */
function verdict(port: number, client: { cert?: string; key?: string } = {}): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: testCertText("root-ca.pem"), ...client }, () =>
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nX-Client-Cert-Verify: SUCCESS\r\nConnection: close\r\n\r\n"),
    );
    socket.on("data", (chunk) => (text += chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      if (!text.startsWith("HTTP/1.1 200")) return resolve("refused");
      resolve(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).headers["X-Client-Cert-Verify"]);
    });
  });
}

for (const target of storeTargets()) {
  describe(`verify modes through the API on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let loadBalancerId: string;
    let caId: string;
    let serverId: string;

    beforeEach(async () => {
      rt = await startTestRuntime(target);
      useRuntime(rt);
      client = new ApiClient();
      admin = { cookie: await signIn(client, "admin", firstAdminPassword(rt)) };
      const lb = await client.call("POST", "/api/v1/load-balancers", { as: admin, json: { name: "edge" } });
      const ca = await client.call("POST", "/api/v1/certificates", { as: admin, json: { name: "root", kind: "ca", certificate: testCertText("root-ca.pem") } });
      const server = await client.call("POST", "/api/v1/certificates", {
        as: admin,
        json: { name: "web", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") },
      });
      expect([lb.status, ca.status, server.status]).toEqual([201, 201, 201]);
      [loadBalancerId, caId, serverId] = [lb.body.id, ca.body.id, server.body.id];
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    async function create(clientAuth: Record<string, unknown>) {
      return client.call("POST", `/api/v1/load-balancers/${loadBalancerId}/listeners`, {
        as: admin,
        json: { name: "https", protocol: "HTTPS", port: await freePort(), certificateId: serverId, clientAuth },
      });
    }

    it("defaults to required, creates optional, and the endpoint follows the stored mode", async () => {
      const required = await create({ enabled: true, caCertificateId: caId });
      expect(required.status).toBe(201);
      expect(required.body.clientAuth).toEqual({ enabled: true, mode: "required", caCertificateId: caId, trustedCertificateIds: [] });
      expect(await verdict(required.body.port)).toBe("refused");

      await client.call("DELETE", `/api/v1/listeners/${required.body.id}`, { as: admin });
      const optional = await create({ enabled: true, mode: "optional", caCertificateId: caId });
      expect(optional.status).toBe(201);
      expect(optional.body.clientAuth.mode).toBe("optional");
      expect((await client.call("GET", `/api/v1/listeners/${optional.body.id}`, { as: admin })).body.clientAuth.mode).toBe("optional");
      expect(await verdict(optional.body.port)).toBe("NONE");
      expect(await verdict(optional.body.port, { cert: testCertText("client-other.pem"), key: testCertText("client-other.key") })).toBe("FAILED:untrusted_issuer");
      expect(await verdict(optional.body.port, { cert: testCertText("client.pem"), key: testCertText("client.key") })).toBe("SUCCESS");
    });

    it("switches the mode by PATCH, audited with before and after, in force for the next connection", async () => {
      const listener = (await create({ enabled: true, caCertificateId: caId })).body;
      const patched = await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { clientAuth: { mode: "optional" } } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ version: listener.version + 1, clientAuth: { enabled: true, mode: "optional", caCertificateId: caId } });
      expect(await verdict(listener.port)).toBe("NONE");

      const events = await client.call("GET", `/api/v1/audit-events?targetType=listener&targetId=${listener.id}`, { as: admin });
      const [event] = events.body.items;
      expect(event).toMatchObject({
        action: "listener.updated",
        details: { before: { clientAuth: { mode: "required" } }, after: { clientAuth: { mode: "optional" } } },
      });

      const back = await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { clientAuth: { mode: "required" } } });
      expect(back.body.clientAuth.mode).toBe("required");
      expect(await verdict(listener.port)).toBe("refused");
    });

    it("refuses an unknown mode with a 422 naming the field and the values, storing nothing", async () => {
      const listener = (await create({ enabled: true, caCertificateId: caId })).body;
      for (const mode of ["permissive", "", null, true, "OPTIONAL"]) {
        const answer = await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { clientAuth: { mode } } });
        expectProblem(answer, 422);
        expect(answer.body.errors).toEqual([{ field: "clientAuth.mode", message: "mode must be required, optional or report." }]);
      }
      const onCreate = await create({ enabled: true, mode: "sometimes", caCertificateId: caId });
      expectProblem(onCreate, 422);
      expect(onCreate.body.errors[0]).toMatchObject({ field: "clientAuth.mode" });
      const stored = await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin });
      expect(stored.body).toMatchObject({ version: listener.version, clientAuth: { mode: "required" } });
    });
  });
}
