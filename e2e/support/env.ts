import path from "node:path";

// Fixed defaults, so the config, the server and every worker agree without passing state
// around; E2E_* variables move a second suite run (another engineer's) out of the way.
const number = (name: string, fallback: number) => Number(process.env[name] || fallback);

export const E2E = {
  port: number("E2E_PORT", 3217),
  get baseURL() {
    return `http://127.0.0.1:${this.port}`;
  },
  dataDir: path.resolve(process.env.E2E_DATA_DIR || path.join(__dirname, "..", "..", "test-results", "e2e-data")),
  demoHttpPort: number("E2E_DEMO_HTTP_PORT", 18080),
  demoHttpsPort: number("E2E_DEMO_HTTPS_PORT", 18443),
  /** The first admin's password: the e2e consoles start with CERTGATE_ADMIN_PASSWORD, as automation does. */
  adminPassword: "e2e-admin-password",
  /** Where the signed-in admin's cookie is kept for every spec (e2e/auth.setup.ts). */
  adminStorageState: path.resolve(__dirname, "..", "..", "test-results", "e2e-admin.json"),
  /** The API's client-certificate port (CERTGATE_API_MTLS_PORT); its CA is DATA_DIR/api-tls/ca.crt. */
  apiMtlsPort: number("E2E_API_MTLS_PORT", 13443),
  /** The data plane's /metrics port (CERTGATE_METRICS_PORT), out of the way of a real node's 9180. */
  metricsPort: number("E2E_METRICS_PORT", 19180),
};
