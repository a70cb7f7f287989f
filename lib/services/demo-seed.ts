// First start: a demo load balancer whose HTTPS listener can be curl'ed at once, and the
// client files that make the README's curl lines work as printed.
import fs from "node:fs";
import path from "node:path";
import { generateDemoPki } from "../pki";
import { claimMetaKey } from "../store/meta-repo";
import { uploadCertificate } from "./certificates";
import { createListener } from "./listeners";
import { createLoadBalancer } from "./load-balancers";
import type { Runtime } from "./runtime";

const ACTOR = { name: "system", via: "demo setup" };

export async function seedDemoOnce(rt: Runtime): Promise<void> {
  // Claimed first, so two processes starting together seed once.
  if (!(await claimMetaKey(rt.store.db, "demo_seeded", new Date().toISOString()))) return;

  const pki = await generateDemoPki();
  const demoDir = path.join(rt.settings.dataDir, "demo");
  fs.mkdirSync(demoDir, { recursive: true });
  fs.writeFileSync(path.join(demoDir, "ca.crt"), pki.ca.certificatePem);
  fs.writeFileSync(path.join(demoDir, "client.crt"), pki.client.certificatePem);
  fs.writeFileSync(path.join(demoDir, "client.key"), pki.client.privateKeyPem, { mode: 0o600 });

  const ca = await uploadCertificate(rt, { name: "demo-ca", kind: "ca", certificate: pki.ca.certificatePem }, ACTOR);
  const server = await uploadCertificate(
    rt,
    { name: "demo-localhost", kind: "server", certificate: pki.server.certificatePem + pki.ca.certificatePem, privateKey: pki.server.privateKeyPem },
    ACTOR,
  );
  const lb = await createLoadBalancer(rt, { name: "demo" }, ACTOR);
  await createListener(rt, lb.id, { name: `http-${rt.settings.demoHttpPort}`, protocol: "HTTP", port: rt.settings.demoHttpPort }, ACTOR);
  await createListener(
    rt,
    lb.id,
    { name: `https-${rt.settings.demoHttpsPort}`, protocol: "HTTPS", port: rt.settings.demoHttpsPort, certificateId: server.id },
    ACTOR,
  );
  console.log(
    `[certgate] demo ready: load balancer "demo", CA "${ca.name}", client certificate and key in ${demoDir}`,
  );
}
