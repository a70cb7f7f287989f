// Where the API client-certificate port's generated credentials live in DATA_DIR. Kept apart from
// the module that reads and writes them (api-tls-credentials.ts), so a page can name the CA file
// without bundling file-system code into Next's server build.
import path from "node:path";

export const API_TLS_DIR = "api-tls";

/** Each generated pair: its certificate (PEM, readable) and its sealed private key (mode 0600). */
export const API_TLS_FILES = {
  ca: { certificate: "ca.crt", sealedKey: "ca.key.sealed" },
  server: { certificate: "server.crt", sealedKey: "server.key.sealed" },
} as const;

/** The generated CA's certificate: what `curl --cacert` takes for the port. */
export function apiTlsCaFile(dataDir: string): string {
  return path.join(dataDir, API_TLS_DIR, API_TLS_FILES.ca.certificate);
}
