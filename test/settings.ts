// The settings of a console or data plane that tests and benchmarks start in their own process:
// a data directory of their own, SQLite, the data plane on 127.0.0.1, no demo.
import type { Settings } from "../lib/config";

export function localSettings(dataDir: string, overrides: Partial<Settings> = {}): Settings {
  return {
    dataDir,
    databaseUrl: null,
    secret: "test-secret",
    demo: false,
    demoHttpPort: 0,
    demoHttpsPort: 0,
    dataplaneHost: "127.0.0.1",
    sessionIdleMinutes: 480,
    sessionMaxHours: 24,
    ...overrides,
  };
}
