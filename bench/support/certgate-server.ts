// certgate as the benchmark's server, in a process of its own pinned to the server core: the real
// runtime (SQLite store in a temp dir, the embedded endpoints, the connection log written to the
// store), set up through the real services, and driven over IPC:
//   -> { type: "toggle", enabled }   saves Client CA on/off on the "toggle" listener with updateListener
//   <- { type: "toggled", callNs, answeredAtNs }   hrtime (CLOCK_MONOTONIC, shared by processes on a host)
//   -> { type: "stop" }
import fs from "node:fs";
import { uploadCertificate } from "../../lib/services/certificates";
import { createListener, updateListener } from "../../lib/services/listeners";
import { createLoadBalancer } from "../../lib/services/load-balancers";
import { startRuntime } from "../../lib/services/runtime";
import type { BenchCerts, KeyType } from "./pki";
import { localSettings } from "../../test/settings";

export interface CertgateServerSetup {
  dataDir: string;
  certs: Record<KeyType, BenchCerts>;
  /** One listener per key type with Client CA on (its own CA), and one to toggle (ECDSA, Client CA off at first). */
  ports: Record<KeyType | "toggle", number>;
}

export type ServerMessage = { type: "ready" } | { type: "toggled"; callNs: string; answeredAtNs: string };
export type ClientMessage = { type: "toggle"; enabled: boolean } | { type: "stop" };

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.CERTGATE_BENCH_SETUP ?? "") as CertgateServerSetup;
  const send = (message: ServerMessage) => process.send!(message);
  const rt = await startRuntime(localSettings(setup.dataDir));
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const lb = await createLoadBalancer(rt, { name: "bench" }, { name: "bench" });
  const cas: Partial<Record<KeyType, string>> = {};
  const servers: Partial<Record<KeyType, string>> = {};
  for (const type of ["ecdsa", "rsa"] as const) {
    const certs = setup.certs[type];
    cas[type] = (await uploadCertificate(rt, { name: `${type}-ca`, kind: "ca", certificate: read(certs.caPem) }, { name: "bench" })).id;
    servers[type] = (
      await uploadCertificate(rt, { name: `${type}-server`, kind: "server", certificate: read(certs.serverPem), privateKey: read(certs.serverKey) }, { name: "bench" })
    ).id;
    await createListener(
      rt,
      lb.id,
      { name: type, protocol: "HTTPS", port: setup.ports[type], certificateId: servers[type], clientAuth: { enabled: true, caCertificateId: cas[type] } },
      { name: "bench" },
    );
  }
  const toggle = await createListener(
    rt,
    lb.id,
    { name: "toggle", protocol: "HTTPS", port: setup.ports.toggle, certificateId: servers.ecdsa, clientAuth: { enabled: false, caCertificateId: cas.ecdsa } },
    { name: "bench" },
  );

  process.on("message", async (message: ClientMessage) => {
    if (message.type === "toggle") {
      const start = process.hrtime.bigint();
      await updateListener(rt, toggle.id, { clientAuth: { enabled: message.enabled } }, null, { name: "bench" });
      const answered = process.hrtime.bigint();
      send({ type: "toggled", callNs: String(answered - start), answeredAtNs: String(answered) });
    } else if (message.type === "stop") {
      await rt.dataplane.close();
      await rt.store.close();
      process.exit(0);
    }
  });
  // Never outlive the benchmark.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

main().catch((error: unknown) => {
  console.error(`certgate bench server failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
