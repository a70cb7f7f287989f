// The server certificate and key the API's client-certificate port (CERTGATE_API_MTLS_PORT)
// presents. Either a stored `server` certificate named by CERTGATE_API_MTLS_CERTIFICATE, or one
// generated on first start into DATA_DIR/api-tls/: a small CA (ca.crt, what clients pass to
// `curl --cacert`) and a localhost/127.0.0.1/::1 certificate it signed (server.crt). The private
// keys there are sealed with the same key sealer as the store's (CERTGATE_SECRET or
// DATA_DIR/secret.key), so no key lies on disk in plaintext; the CA's is kept so the server
// certificate can be re-issued before it expires without changing the CA clients trust.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Settings } from "../config";
import { createLocalCa, issueLeaf, LOCALHOST_ALT_NAMES, type PemPair } from "../pki";
import { findCertificateByName } from "../store/certificates-repo";
import { openStore, type Store } from "../store/database";
import { createKeySealer, type KeySealer } from "../store/sealed-keys";
import { API_TLS_DIR, API_TLS_FILES } from "./api-tls-files";

const FILES = API_TLS_FILES;
type Generated = keyof typeof FILES;
/** A generated server certificate this close to its end is re-issued at start. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export interface ApiTlsCredentials {
  /** The server certificate, followed by its chain where the stored certificate holds one. */
  certificatePem: string;
  /** Never logged or written anywhere in plaintext. */
  privateKeyPem: string;
  /** Where it came from, for the start-up log line. */
  source: { kind: "generated"; caFile: string; issued: boolean } | { kind: "stored"; name: string };
}

type CredentialSettings = Pick<Settings, "dataDir" | "databaseUrl" | "secret" | "apiMtlsCertificate">;

/**
 * `options.store`: an open store to read a named certificate from (tests hand in theirs); without
 * it the settings' store is opened for that one read and closed again. `options.now`: the time
 * that decides whether the generated server certificate is due for renewal.
 */
export async function loadApiTlsCredentials(settings: CredentialSettings, options: { store?: Store; now?: Date } = {}): Promise<ApiTlsCredentials> {
  const sealer = createKeySealer({ secret: settings.secret, dataDir: settings.dataDir });
  return settings.apiMtlsCertificate
    ? loadStoredCertificate(settings, settings.apiMtlsCertificate, sealer, options.store)
    : loadOrGenerate(path.join(settings.dataDir, API_TLS_DIR), sealer, options.now ?? new Date());
}

async function loadStoredCertificate(settings: CredentialSettings, name: string, sealer: KeySealer, openedStore?: Store): Promise<ApiTlsCredentials> {
  const store = openedStore ?? (await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir }));
  const row = await findCertificateByName(store.db, name).finally(() => (openedStore ? undefined : store.close()));
  const unset = "or unset CERTGATE_API_MTLS_CERTIFICATE to use a certificate generated for localhost";
  if (!row) {
    throw new Error(
      `CERTGATE_API_MTLS_CERTIFICATE names "${name}", but no certificate has that name; upload it under Certificates as a Server certificate with its private key, ${unset}.`,
    );
  }
  if (row.kind !== "server" || !row.private_key_sealed) {
    const what = row.kind === "ca" ? "a CA certificate" : "a client certificate";
    throw new Error(
      `CERTGATE_API_MTLS_CERTIFICATE names "${name}", ${what}; name a Server certificate (one uploaded with its private key), ${unset}.`,
    );
  }
  return { certificatePem: row.pem, privateKeyPem: sealer.open(row.private_key_sealed, row.id), source: { kind: "stored", name } };
}

/** Reuses DATA_DIR/api-tls/ as left by an earlier start; makes what is missing, expiring or mismatched. */
async function loadOrGenerate(dir: string, sealer: KeySealer, now: Date): Promise<ApiTlsCredentials> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = path.join(dir, FILES.ca.certificate);

  let ca = readPair(dir, "ca", sealer);
  if (!ca) {
    ca = await createLocalCa("certgate API CA", { now });
    writePair(dir, "ca", ca, sealer);
  }
  const current = readPair(dir, "server", sealer);
  if (current && fits(current, ca, now)) {
    return { ...current, source: { kind: "generated", caFile, issued: false } };
  }
  const server = await issueLeaf(ca, { subject: "CN=localhost", purpose: "serverAuth", altNames: LOCALHOST_ALT_NAMES, now });
  writePair(dir, "server", server, sealer);
  return { ...server, source: { kind: "generated", caFile, issued: true } };
}

/** A generated certificate and its unsealed key, or null when either file is missing. */
function readPair(dir: string, which: Generated, sealer: KeySealer): PemPair | null {
  const certificatePem = readIfPresent(path.join(dir, FILES[which].certificate));
  const sealedKeyFile = path.join(dir, FILES[which].sealedKey);
  const sealed = readIfPresent(sealedKeyFile);
  if (certificatePem === null || sealed === null) return null;
  try {
    return { certificatePem, privateKeyPem: sealer.open(sealed.trim(), sealContext(which)) };
  } catch {
    throw new Error(
      `${sealedKeyFile} could not be decrypted: CERTGATE_SECRET (or DATA_DIR/secret.key) differs from the one it was made with; start with that secret, or delete ${dir} to generate a new CA and server certificate (clients then need the new ${FILES.ca.certificate}).`,
    );
  }
}

/** The key first: a certificate on disk always has its key beside it. */
function writePair(dir: string, which: Generated, pair: PemPair, sealer: KeySealer): void {
  writeAtomically(path.join(dir, FILES[which].sealedKey), sealer.seal(pair.privateKeyPem, sealContext(which)), 0o600);
  writeAtomically(path.join(dir, FILES[which].certificate), pair.certificatePem, 0o644);
}

/** The server certificate is issued by this CA, matches its key, and is not about to expire. */
function fits(server: PemPair, ca: PemPair, now: Date): boolean {
  try {
    const certificate = new crypto.X509Certificate(server.certificatePem);
    const caCertificate = new crypto.X509Certificate(ca.certificatePem);
    return (
      certificate.checkIssued(caCertificate) &&
      certificate.verify(caCertificate.publicKey) &&
      certificate.checkPrivateKey(crypto.createPrivateKey(server.privateKeyPem)) &&
      new Date(certificate.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}

/** The sealed file's name is bound as additional data: a CA key copied over the server's does not open. */
function sealContext(which: Generated): string {
  return `${API_TLS_DIR}/${FILES[which].sealedKey}`;
}

function readIfPresent(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Written beside, then renamed: a crash never leaves half a file for the next start to trip on. */
function writeAtomically(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode });
  fs.chmodSync(temporary, mode);
  fs.renameSync(temporary, file);
}
