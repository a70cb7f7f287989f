// The impact preview and report mode through the real route handlers, store and data plane, with
// real TLS clients holding openssl-made certificates: the clients the preview names as refused are
// exactly (one by one, with the reason) the ones the endpoint then refuses — for enabling a CA, for
// pinning, and for a CRL — and report mode lets everyone in while logging the would-be refusals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, expectProblem, firstAdminPassword, signIn, useRuntime, type Credential } from "../../test/api";
import { crlFile, testCertText } from "../../test/certs";
import { attempt, clientCred, der, eventually } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets } from "../../test/stores";
import { sha256Hex } from "../pki/fingerprint";
import type { Runtime } from "../services/runtime";

/** The clients of every scenario; null connects without a certificate. */
const CLIENTS = ["client", "client-two", "client-other", "self-signed-client", "client-expired", null] as const;
type ClientName = (typeof CLIENTS)[number];
const keyOf = (name: ClientName) => (name === null ? "none" : sha256Hex(der(`${name}.pem`)));

interface Verdicts {
  [client: string]: string;
}

for (const target of storeTargets()) {
  describe(`impact preview and report mode on ${target.name}`, () => {
    let rt: Runtime;
    let client: ApiClient;
    let admin: Credential;
    let caId: string;
    let listener: { id: string; port: number };

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
      caId = ca.body.id;
      const created = await client.call("POST", `/api/v1/load-balancers/${lb.body.id}/listeners`, {
        as: admin,
        json: { name: "https", protocol: "HTTPS", port: await freePort(), certificateId: server.body.id },
      });
      expect(created.status).toBe(201);
      listener = created.body;
    });
    afterEach(async () => {
      await client.expectNoSecretsGivenAway(rt);
      useRuntime(undefined);
      await stopTestRuntime(rt);
    });

    /** Connects every client once; resolves when the store has all their records. */
    async function connectAll(): Promise<void> {
      const before = await logLength();
      for (const name of CLIENTS) await attempt(listener.port, name === null ? {} : clientCred(name));
      await eventually(async () => expect(await logLength()).toBe(before + CLIENTS.length), 5_000);
    }

    async function logLength(): Promise<number> {
      const log = await client.call("GET", `/api/v1/listeners/${listener.id}/connections?limit=500`, { as: admin });
      return log.body.items.length;
    }

    /** The newest connection of each client: its outcome and reason, by certificate ("none" without one). */
    async function lastOutcomes(): Promise<Record<string, { outcome: string; reason: string }>> {
      const log = await client.call("GET", `/api/v1/listeners/${listener.id}/connections?limit=500`, { as: admin });
      const out: Record<string, { outcome: string; reason: string }> = {};
      for (const entry of log.body.items) {
        const key = entry.clientCertificate?.fingerprintSha256 ?? "none";
        out[key] ??= { outcome: entry.outcome, reason: entry.reason };
      }
      return out;
    }

    async function preview(body: unknown): Promise<{ refused: Verdicts; body: Record<string, unknown> & { wouldBeAccepted: number; clientsSeen: number } }> {
      const answer = await client.call("POST", `/api/v1/listeners/${listener.id}/impact`, { as: admin, json: body });
      expect(answer.status).toBe(200);
      const refused: Verdicts = {};
      for (const entry of answer.body.wouldBeRefused) refused[entry.fingerprintSha256 ?? "none"] = entry.reason;
      return { refused, body: answer.body };
    }

    /** Saves the change, connects everyone again, and returns who the endpoint refused, with the reason. */
    async function applyAndObserve(body: unknown): Promise<Verdicts> {
      const saved = await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: body });
      expect(saved.status).toBe(200);
      await connectAll();
      const refused: Verdicts = {};
      for (const [key, { outcome, reason }] of Object.entries(await lastOutcomes())) if (outcome === "rejected") refused[key] = reason;
      return refused;
    }

    it("names exactly the clients that enabling a CA then refuses, with the reasons, and says plainly when no clients were seen", async () => {
      const empty = await preview({ clientAuth: { enabled: true, caCertificateId: caId } });
      expect(empty.body).toMatchObject({ clientsSeen: 0, wouldBeRefused: [], wouldBeAccepted: 0, unassessed: 0 });

      // Client CA off: everyone is served, and the log keeps the certificates they offered.
      await connectAll();
      expect(Object.values(await lastOutcomes()).every((entry) => entry.outcome === "accepted")).toBe(true);

      const predicted = await preview({ clientAuth: { enabled: true, caCertificateId: caId } });
      expect(predicted.refused).toEqual({
        [keyOf("client-other")]: "untrusted_issuer",
        [keyOf("self-signed-client")]: "untrusted_issuer",
        [keyOf("client-expired")]: "expired",
        none: "no_certificate",
      });
      expect(predicted.body).toMatchObject({ clientsSeen: 6, wouldBeAccepted: 2, unassessed: 0 });
      const entry = (predicted.body.wouldBeRefused as { fingerprintSha256: string | null }[]).find((e) => e.fingerprintSha256 === keyOf("client-other"));
      expect(entry).toMatchObject({ subject: "CN=client-other,O=Other Corp", issuer: "CN=Other Root CA,O=Other Corp", connections: 1 });
      // Nothing was saved.
      expect((await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin })).body.clientAuth.enabled).toBe(false);

      expect(await applyAndObserve({ clientAuth: { enabled: true, caCertificateId: caId } })).toEqual(predicted.refused);
    });

    it("predicts pinning: a pinned certificate passes, every other is refused not_pinned, as the endpoint then does", async () => {
      const pinned = await client.call("POST", "/api/v1/certificates", { as: admin, json: { name: "client-two", kind: "client", certificate: testCertText("client-two.pem") } });
      await connectAll();
      const body = { clientAuth: { enabled: true, caCertificateId: caId, trustedCertificateIds: [pinned.body.id] } };
      const predicted = await preview(body);
      expect(predicted.refused[keyOf("client")]).toBe("not_pinned");
      expect(predicted.refused[keyOf("client-two")]).toBeUndefined();
      expect(predicted.body.wouldBeAccepted).toBe(1);
      expect(await applyAndObserve(body)).toEqual(predicted.refused);
    });

    it("predicts a CRL of the CA: the revoked client is named with reason revoked, as the endpoint then refuses it", async () => {
      const crl = await client.call("POST", `/api/v1/certificates/${caId}/crls`, { as: admin, json: { crl: crlFile("crl-root-1.pem").toString("utf8") } });
      expect(crl.status).toBe(201);
      await connectAll();
      const body = { clientAuth: { enabled: true, caCertificateId: caId } };
      const predicted = await preview(body);
      expect(predicted.refused[keyOf("client")]).toBe("revoked");
      expect(predicted.refused[keyOf("client-two")]).toBeUndefined();
      expect(await applyAndObserve(body)).toEqual(predicted.refused);
    });

    it("report mode lets everyone in and logs the would-be refusals the preview of required names; the summary counts them", async () => {
      await connectAll();
      const report = await client.call("PATCH", `/api/v1/listeners/${listener.id}`, { as: admin, json: { clientAuth: { enabled: true, mode: "report", caCertificateId: caId } } });
      expect(report.status).toBe(200);
      for (const name of CLIENTS) expect((await attempt(listener.port, name === null ? {} : clientCred(name))).response?.status).toBe(200);
      await eventually(async () => expect(await logLength()).toBe(CLIENTS.length * 2), 5_000);

      const wouldReject: Verdicts = {};
      for (const [key, { outcome, reason }] of Object.entries(await lastOutcomes())) {
        expect(["accepted", "would_reject"]).toContain(outcome);
        if (outcome === "would_reject") wouldReject[key] = reason;
      }
      // A report-mode listener refuses nobody; the preview of switching to required names who it would.
      expect((await preview({})).body.wouldBeRefused).toEqual([]);
      expect((await preview({ clientAuth: { mode: "required" } })).refused).toEqual(wouldReject);

      const summary = await client.call("GET", `/api/v1/listeners/${listener.id}/connections/summary`, { as: admin });
      expect(summary.body).toMatchObject({ connections: 12, accepted: 8, rejected: 0, wouldReject: 4, wouldRejectClients: 4 });
    });

    it("answers a bad body with the PATCH's 422, an unknown listener with 404, and a bad window with 422", async () => {
      const bad = await client.call("POST", `/api/v1/listeners/${listener.id}/impact`, { as: admin, json: { clientAuth: { mode: "sometimes" } } });
      expectProblem(bad, 422);
      expect(bad.body.errors).toEqual([{ field: "clientAuth.mode", message: "mode must be required, optional or report." }]);
      const noTrust = await client.call("POST", `/api/v1/listeners/${listener.id}/impact`, { as: admin, json: { clientAuth: { enabled: true } } });
      expectProblem(noTrust, 422);
      const unknown = await client.call("POST", "/api/v1/listeners/00000000-0000-4000-8000-000000000000/impact", { as: admin, json: {} });
      expectProblem(unknown, 404);
      const window = await client.call("POST", `/api/v1/listeners/${listener.id}/impact?hours=0`, { as: admin, json: {} });
      expectProblem(window, 422);
      expect((await client.call("GET", `/api/v1/listeners/${listener.id}`, { as: admin })).body.version).toBe(1);
    });
  });
}
