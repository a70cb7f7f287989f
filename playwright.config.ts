import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/support/env";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One server, one database: specs run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  projects: [
    // Signs the admin in once; every spec starts signed in as that admin (tests that need another
    // user or none make their own context).
    { name: "sign-in", testMatch: /auth\.setup\.ts$/ },
    { name: "console", testIgnore: /auth\.setup\.ts$/, dependencies: ["sign-in"], use: { storageState: E2E.adminStorageState } },
  ],
  use: {
    baseURL: E2E.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The production build (npm test builds it first), on a fresh data directory.
    command: `node ${path.join("e2e", "support", "server.mjs")}`,
    url: `${E2E.baseURL}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(E2E.port),
      DATA_DIR: E2E.dataDir,
      CERTGATE_DEMO: "1",
      CERTGATE_DEMO_HTTP_PORT: String(E2E.demoHttpPort),
      CERTGATE_DEMO_HTTPS_PORT: String(E2E.demoHttpsPort),
      CERTGATE_API_MTLS_PORT: String(E2E.apiMtlsPort),
      CERTGATE_METRICS_PORT: String(E2E.metricsPort),
      CERTGATE_API_MTLS_CERTIFICATE: "",
      DATABASE_URL: "",
      CERTGATE_SECRET: "",
      CERTGATE_ADMIN_PASSWORD: E2E.adminPassword,
    },
  },
});
