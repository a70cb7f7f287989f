// certgate as the CRL benchmark's server, in a process of its own pinned to the server core: the
// real runtime (SQLite store in a temp dir, the embedded endpoints) with one HTTPS listener whose
// Client CA is the bench CA, driven over IPC:
//   -> { type: "crl", on: true }    uploads the CRL file through the API's route handler (JSON body),
//                                   as an operator's POST /api/v1/certificates/{id}/crls would
//   <- { type: "crl-set", status, uploadMs }   the route's status and its time (read, validate,
//                                   store, apply to the endpoint: in force when it answers)
//   -> { type: "crl", on: false }   deletes it through DELETE …/crls/{crlId}
//   -> { type: "stop" }
import fs from "node:fs";
import { deleteCrlRoute, uploadCrlRoute } from "../../lib/api/crls-routes";
import { SESSION_COOKIE } from "../../lib/auth/session-cookie";
import { PEER_ADDRESS_HEADER } from "../../lib/http/console-request-guard";
import { uploadCertificate } from "../../lib/services/certificates";
import { createListener } from "../../lib/services/listeners";
import { createLoadBalancer } from "../../lib/services/load-balancers";
import { startRuntime, type Runtime } from "../../lib/services/runtime";
import { signIn } from "../../lib/services/sessions";
import type { BenchCerts } from "./pki";
import { localSettings } from "../../test/settings";

export interface CrlServerSetup {
  dataDir: string;
  certs: BenchCerts;
  port: number;
  /** The CRL (DER) signed by the bench CA. */
  crlFile: string;
  adminPassword: string;
}

export type CrlServerMessage = { type: "ready" } | { type: "crl-set"; status: number; uploadMs: number; body: string };
export type CrlClientMessage = { type: "crl"; on: boolean } | { type: "stop" };

const RUNTIME_KEY = Symbol.for("certgate.runtime");

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.CERTGATE_BENCH_SETUP ?? "") as CrlServerSetup;
  const send = (message: CrlServerMessage) => process.send!(message);
  const rt = await startRuntime(localSettings(setup.dataDir));
  // The route handlers find the runtime where getRuntime() keeps it.
  (globalThis as { [RUNTIME_KEY]?: Promise<Runtime> })[RUNTIME_KEY] = Promise.resolve(rt);
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const lb = await createLoadBalancer(rt, { name: "bench" }, { name: "bench" });
  const ca = await uploadCertificate(rt, { name: "crl-ca", kind: "ca", certificate: read(setup.certs.caPem) }, { name: "bench" });
  const server = await uploadCertificate(rt, { name: "server", kind: "server", certificate: read(setup.certs.serverPem), privateKey: read(setup.certs.serverKey) }, { name: "bench" });
  await createListener(rt, lb.id, { name: "crl", protocol: "HTTPS", port: setup.port, certificateId: server.id, clientAuth: { enabled: true, caCertificateId: ca.id } }, { name: "bench" });
  const { cookieValue } = await signIn(rt, { username: "admin", password: setup.adminPassword }, "127.0.0.1");
  const headers = { cookie: `${SESSION_COOKIE}=${cookieValue}`, [PEER_ADDRESS_HEADER]: "127.0.0.1" };
  const crlBase64 = fs.readFileSync(setup.crlFile).toString("base64");
  let crlId: string | null = null;

  process.on("message", async (message: CrlClientMessage) => {
    if (message.type === "crl") {
      const started = process.hrtime.bigint();
      let response: Response;
      if (message.on) {
        const request = new Request(`http://127.0.0.1/api/v1/certificates/${ca.id}/crls`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ crl: crlBase64 }),
        });
        response = await uploadCrlRoute(request, { params: Promise.resolve({ id: ca.id }) });
      } else {
        const request = new Request(`http://127.0.0.1/api/v1/certificates/${ca.id}/crls/${crlId}`, { method: "DELETE", headers });
        response = await deleteCrlRoute(request, { params: Promise.resolve({ id: ca.id, crlId: crlId ?? "" }) });
      }
      const body = await response.text();
      const uploadMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (message.on && response.status === 201) crlId = (JSON.parse(body) as { id: string }).id;
      send({ type: "crl-set", status: response.status, uploadMs, body: body.slice(0, 500) });
    } else if (message.type === "stop") {
      await rt.dataplane.close();
      await rt.store.close();
      process.exit(0);
    }
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

main().catch((error: unknown) => {
  console.error(`certgate CRL bench server failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
