import path from "node:path";

// Fixed, so the config, the server and every worker agree without passing state around.
export const E2E = {
  port: 3217,
  baseURL: "http://127.0.0.1:3217",
  dataDir: path.resolve(__dirname, "..", "..", "test-results", "e2e-data"),
  demoHttpPort: 18080,
  demoHttpsPort: 18443,
};
