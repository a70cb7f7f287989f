// Runtime settings, read from the environment once. See README "Configuration".
import os from "node:os";
import path from "node:path";

export interface Settings {
  /** Where the SQLite file, the generated key and the demo's client files live. */
  dataDir: string;
  /** PostgreSQL connection string; the embedded SQLite file is used when unset. */
  databaseUrl: string | null;
  /** Secret that encrypts private keys at rest; one is generated into dataDir when unset. */
  secret: string | null;
  /** Seed the demo load balancer on first start. */
  demo: boolean;
  demoHttpPort: number;
  demoHttpsPort: number;
  /** Address the listeners' endpoints bind to (DATAPLANE_HOST, loopback by default). */
  dataplaneHost: string;
  /**
   * This data-plane node's id in the node registry (CERTGATE_NODE_ID); null: "<hostname>-<DATAPLANE_HOST>",
   * stable across restarts so a restarted node takes its row back.
   */
  nodeId?: string | null;
  /**
   * Whether the console serves the listeners itself (default). false (CERTGATE_EMBEDDED_DATAPLANE=0)
   * when a stand-alone `npm run dataplane` serves them, so the two never compete for the ports.
   */
  embeddedDataplane?: boolean;
  /**
   * Where embedded endpoints run: "child" (the console's own data plane process, so API work never
   * delays a handshake) or "in-process" (tests and benchmarks that drive the data plane directly).
   */
  dataplaneProcess?: "child" | "in-process";
  /**
   * The API's client-certificate port (server/console.ts): HTTPS, /api/v1 only, every request
   * authenticated by the certificate the client presents. 0 turns it off (CERTGATE_API_MTLS_PORT=0).
   * Optional so settings made by hand (tests) need not name it; readSettings always does.
   */
  apiMtlsPort?: number;
  /** Name of a stored `server` certificate that port presents; null: one generated into DATA_DIR/api-tls. */
  apiMtlsCertificate?: string | null;
  /**
   * Worker processes of a stand-alone data plane (`npm run dataplane`, CERTGATE_DATAPLANE_WORKERS,
   * 1..64, default the number of cores). The console's embedded child always serves in one process.
   */
  dataplaneWorkers?: number;
  /** Where a data plane serves /metrics (DATAPLANE_HOST:CERTGATE_METRICS_PORT); 0 turns it off. */
  metricsPort?: number;
  /** A console session ends after this long without a request (CERTGATE_SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: number;
  /** …and this long after sign-in regardless (CERTGATE_SESSION_MAX_HOURS). */
  sessionMaxHours: number;
}

function positiveIntFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}".`);
  return value;
}

function intFromEnv(name: string, fallback: number, options: { zeroTurnsOff?: string } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  // Plain decimal digits only: Number() would also take " 3443", "0x d7b", "1e3".
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (options.zeroTurnsOff && value === 0) return 0;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    const orZero = options.zeroTurnsOff ? `, or 0 to turn ${options.zeroTurnsOff} off` : "";
    throw new Error(`${name} must be a port number from 1 to 65535${orZero}, got "${raw}".`);
  }
  return value;
}

function nodeIdFromEnv(raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(raw)) {
    throw new Error(`CERTGATE_NODE_ID must be 1 to 63 letters, digits, ".", "_" or "-" (starting with a letter or digit), got "${raw}".`);
  }
  return raw;
}

export function readSettings(): Settings {
  const env = process.env;
  return {
    // turbopackIgnore: a runtime path, not a file the build should trace into the bundle.
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || "data"),
    databaseUrl: env.DATABASE_URL || null,
    secret: env.CERTGATE_SECRET || null,
    demo: env.CERTGATE_DEMO !== "0" && env.CERTGATE_DEMO !== "false",
    demoHttpPort: intFromEnv("CERTGATE_DEMO_HTTP_PORT", 8080),
    demoHttpsPort: intFromEnv("CERTGATE_DEMO_HTTPS_PORT", 8443),
    dataplaneHost: env.DATAPLANE_HOST || "127.0.0.1",
    nodeId: nodeIdFromEnv(env.CERTGATE_NODE_ID),
    embeddedDataplane: env.CERTGATE_EMBEDDED_DATAPLANE !== "0" && env.CERTGATE_EMBEDDED_DATAPLANE !== "false",
    dataplaneProcess: "child",
    apiMtlsPort: intFromEnv("CERTGATE_API_MTLS_PORT", 3443, { zeroTurnsOff: "the API's client-certificate port" }),
    apiMtlsCertificate: env.CERTGATE_API_MTLS_CERTIFICATE?.trim() || null,
    dataplaneWorkers: positiveIntFromEnv("CERTGATE_DATAPLANE_WORKERS", Math.min(64, os.availableParallelism()), 64),
    metricsPort: intFromEnv("CERTGATE_METRICS_PORT", 9180, { zeroTurnsOff: "the data plane's /metrics" }),
    sessionIdleMinutes: positiveIntFromEnv("CERTGATE_SESSION_IDLE_MINUTES", 8 * 60, 7 * 24 * 60),
    sessionMaxHours: positiveIntFromEnv("CERTGATE_SESSION_MAX_HOURS", 24, 30 * 24),
  };
}
