// "Test this listener" prints curl lines; where the console itself wrote the files they need
// (the demo's CA, client certificate and key in DATA_DIR/demo), it names those real files
// instead of placeholders, so the lines run as shown.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { notFound } from "../errors";
import { findCertificatesByIds } from "../store/certificates-repo";
import { findListener } from "../store/listeners-repo";
import type { Runtime } from "./runtime";

/** Paths as the user types them: relative to the console's working directory when inside it. */
export interface ListenerTestFiles {
  /** A CA file that verifies the listener's server certificate (curl --cacert). */
  serverCa: string | null;
  /** A client certificate and its key that the listener lets in (curl --cert --key). */
  clientCertificate: string | null;
  clientKey: string | null;
}

const NONE: ListenerTestFiles = { serverCa: null, clientCertificate: null, clientKey: null };

export async function listenerTestFiles(rt: Runtime, listenerId: string): Promise<ListenerTestFiles> {
  const listener = await findListener(rt.store.db, listenerId);
  if (!listener) throw notFound("This listener");
  const demo = readDemoFiles(path.join(rt.settings.dataDir, "demo"));
  if (!demo || listener.protocol !== "HTTPS") return NONE;

  const ids = [listener.certificate_id, listener.client_ca_certificate_id, ...listener.trusted_certificate_ids].filter((id): id is string => id !== null);
  const rows = new Map((await findCertificatesByIds(rt.store.db, ids)).map((row) => [row.id, row]));
  const certificateOf = (id: string | null) => {
    const pem = id ? rows.get(id)?.pem : undefined;
    return pem ? new crypto.X509Certificate(pem) : null;
  };

  const server = certificateOf(listener.certificate_id);
  const serverCa = server && signedBy(server, demo.ca) ? demo.caPath : null;
  const client = clientLetIn(listener, demo.client, certificateOf, rows)
    ? { clientCertificate: demo.clientPath, clientKey: demo.keyPath }
    : { clientCertificate: null, clientKey: null };
  return { serverCa, ...client };
}

/** docs/api.md's rule: a CA, pinned certificates, or both must accept the client. */
function clientLetIn(
  listener: { client_auth_enabled: number; client_ca_certificate_id: string | null; trusted_certificate_ids: string[] },
  client: crypto.X509Certificate,
  certificateOf: (id: string | null) => crypto.X509Certificate | null,
  rows: Map<string, { pem: string }>,
): boolean {
  // Client CA off: no certificate is asked for, so any is fine.
  if (listener.client_auth_enabled !== 1) return true;
  const ca = certificateOf(listener.client_ca_certificate_id);
  if (listener.client_ca_certificate_id && !(ca && signedBy(client, ca))) return false;
  if (listener.trusted_certificate_ids.length === 0) return true;
  return listener.trusted_certificate_ids.some((id) => {
    const pinned = rows.get(id);
    return pinned !== undefined && new crypto.X509Certificate(pinned.pem).raw.equals(client.raw);
  });
}

function signedBy(certificate: crypto.X509Certificate, issuer: crypto.X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function readDemoFiles(dir: string) {
  const caPath = path.join(dir, "ca.crt");
  const clientPath = path.join(dir, "client.crt");
  const keyPath = path.join(dir, "client.key");
  try {
    if (!fs.existsSync(keyPath)) return null;
    return {
      ca: new crypto.X509Certificate(fs.readFileSync(caPath)),
      client: new crypto.X509Certificate(fs.readFileSync(clientPath)),
      caPath: asTyped(caPath),
      clientPath: asTyped(clientPath),
      keyPath: asTyped(keyPath),
    };
  } catch {
    // Removed or edited by hand: fall back to placeholder names.
    return null;
  }
}

function asTyped(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
