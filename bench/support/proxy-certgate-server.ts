// certgate's data plane as the proxy benchmark's server, in a process of its own pinned to the
// server core: one HTTPS listener with Client CA on that forwards to a pool of one member (the
// benchmark's backend). The data plane alone (createDataplane), as the stand-alone process runs it:
// the store plays no part in forwarding. Prints "ready" once serving; ends with its parent.
import fs from "node:fs";
import { createDataplane } from "../../lib/dataplane";
import type { BenchCerts } from "./pki";

export interface ProxyServerSetup {
  port: number;
  backendPort: number;
  certs: BenchCerts;
}

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.CERTGATE_BENCH_PROXY ?? "") as ProxyServerSetup;
  const read = (file: string) => fs.readFileSync(file, "utf8");
  const dataplane = createDataplane();
  await dataplane.apply([
    {
      id: "bench",
      name: "bench",
      protocol: "HTTPS",
      host: "127.0.0.1",
      port: setup.port,
      tls: {
        certificateChainPem: read(setup.certs.serverPem),
        privateKeyPem: read(setup.certs.serverKey),
        clientAuth: { enabled: true, mode: "required", caCertificatesPem: [read(setup.certs.caPem)], pinnedCertificatesDer: [] },
      },
      pool: {
        id: "bench-pool",
        name: "bench",
        algorithm: "round_robin",
        members: [{ address: "127.0.0.1", port: setup.backendPort, weight: 1 }],
        healthCheck: { path: "/", intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3 },
      },
    },
  ]);
  if (dataplane.status("bench").state !== "serving") throw new Error(`not serving: ${dataplane.status("bench").error}`);
  process.on("disconnect", () => process.exit(0));
  // An orderly exit on SIGTERM lets --cpu-prof write its profile when profiling this process.
  process.on("SIGTERM", () => process.exit(0));
  process.stdout.write("ready\n");
}

main().catch((error: unknown) => {
  console.error(`certgate proxy bench server failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
