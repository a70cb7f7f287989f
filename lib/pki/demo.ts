// First-start demo material, so a fresh install can serve mTLS at once: a CA, a localhost server
// certificate and a client certificate it issued, all ECDSA P-256 (lib/pki/local-ca.ts).
import { createLocalCa, issueLeaf, LOCALHOST_ALT_NAMES } from "./local-ca";
import type { PemPair } from "./types";

export async function generateDemoPki(opts: { now?: Date } = {}): Promise<{ ca: PemPair; server: PemPair; client: PemPair }> {
  const ca = await createLocalCa("certgate demo CA", opts);
  return {
    ca,
    server: await issueLeaf(ca, { subject: "CN=localhost", purpose: "serverAuth", altNames: LOCALHOST_ALT_NAMES, now: opts.now }),
    client: await issueLeaf(ca, { subject: "CN=demo-client", purpose: "clientAuth", now: opts.now }),
  };
}
