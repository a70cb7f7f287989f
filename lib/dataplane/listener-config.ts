// Small pure helpers about a listener configuration: its public URL and the keys that tell
// which parts of it changed (so an apply touches only what it must).
import { createHash } from "node:crypto";
import { crlDigest } from "./revocation";
import type { ListenerRuntimeConfig } from "./types";

export interface ConfigKeys {
  /** Where it listens: a change means rebinding. */
  readonly bind: string;
  /** What it enforces (protocol, certificates, client auth, CRLs): a change means a new SecureContext. */
  readonly content: string;
  /** Shown in the echo only. */
  readonly name: string;
  readonly full: string;
}

export function configKeys(config: ListenerRuntimeConfig): ConfigKeys {
  const bind = `${config.host}|${config.port}`;
  const hash = createHash("sha256").update(config.protocol).update("\0");
  if (config.protocol === "HTTPS" && config.tls) {
    const { certificateChainPem, privateKeyPem, clientAuth } = config.tls;
    hash.update(certificateChainPem ?? "").update("\0").update(privateKeyPem ?? "").update("\0");
    hash.update(clientAuth?.enabled ? "client-auth:on" : "client-auth:off").update("\0");
    if (clientAuth?.enabled) {
      // A mode change needs a new context too: its session keys keep a session made under
      // optional (perhaps without a certificate) from resuming under required.
      hash.update(`mode:${clientAuth.mode ?? "required"}`).update("\0");
      for (const pem of clientAuth.caCertificatesPem ?? []) hash.update("ca\0").update(pem).update("\0");
      for (const der of clientAuth.pinnedCertificatesDer ?? []) hash.update("pin\0").update(der).update("\0");
      // A CRL added or removed needs a new context too: its fresh session keys keep a session made
      // before it from resuming past it.
      for (const der of clientAuth.crlsDer ?? []) hash.update("crl\0").update(crlDigest(der)).update("\0");
    }
  } else if (config.protocol === "HTTPS") {
    hash.update("no-tls");
  }
  // The hash keeps key material out of long-lived comparison strings.
  const content = hash.digest("hex");
  return { bind, content, name: config.name, full: `${bind}\n${content}\n${config.name}` };
}

/** "https://HOST:PORT"; a wildcard host is shown as the loopback address a local client can use. */
export function endpointUrl(protocol: ListenerRuntimeConfig["protocol"], host: string, port: number): string {
  let shown = host;
  if (host === "0.0.0.0" || host === "") shown = "127.0.0.1";
  else if (host === "::" || host === "[::]") shown = "::1";
  const hostPart = shown.includes(":") && !shown.startsWith("[") ? `[${shown}]` : shown;
  return `${protocol === "HTTPS" ? "https" : "http"}://${hostPart}:${port}`;
}
