// readSettings: the API client-certificate port's two settings, the data plane's workers and metrics
// port, and how a wrong value stops the start.
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { readSettings } from "./config";

const saved = { ...process.env };
afterEach(() => {
  for (const name of ["CERTGATE_API_MTLS_PORT", "CERTGATE_API_MTLS_CERTIFICATE", "CERTGATE_DATAPLANE_WORKERS", "CERTGATE_METRICS_PORT"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("CERTGATE_API_MTLS_PORT and CERTGATE_API_MTLS_CERTIFICATE", () => {
  it("default to port 3443 and a generated certificate", () => {
    delete process.env.CERTGATE_API_MTLS_PORT;
    delete process.env.CERTGATE_API_MTLS_CERTIFICATE;
    expect(readSettings()).toMatchObject({ apiMtlsPort: 3443, apiMtlsCertificate: null });
    process.env.CERTGATE_API_MTLS_PORT = "";
    process.env.CERTGATE_API_MTLS_CERTIFICATE = "  ";
    expect(readSettings()).toMatchObject({ apiMtlsPort: 3443, apiMtlsCertificate: null });
  });

  it("take a port, 0 to turn it off, and a certificate's name", () => {
    process.env.CERTGATE_API_MTLS_PORT = "18443";
    process.env.CERTGATE_API_MTLS_CERTIFICATE = "api.example.org";
    expect(readSettings()).toMatchObject({ apiMtlsPort: 18443, apiMtlsCertificate: "api.example.org" });
    process.env.CERTGATE_API_MTLS_PORT = "0";
    expect(readSettings().apiMtlsPort).toBe(0);
  });

  it.each(["65536", "-1", "3443.5", "0x d7b", "0x1bb", " 3443", "1e3", "off", "00000000"])("refuse %j, saying what is allowed", (raw) => {
    process.env.CERTGATE_API_MTLS_PORT = raw;
    expect(() => readSettings()).toThrow(
      `CERTGATE_API_MTLS_PORT must be a port number from 1 to 65535, or 0 to turn the API's client-certificate port off, got "${raw}".`,
    );
  });
});

describe("CERTGATE_DATAPLANE_WORKERS and CERTGATE_METRICS_PORT", () => {
  it("default to one worker per core and port 9180", () => {
    delete process.env.CERTGATE_DATAPLANE_WORKERS;
    delete process.env.CERTGATE_METRICS_PORT;
    expect(readSettings()).toMatchObject({ dataplaneWorkers: os.availableParallelism(), metricsPort: 9180 });
  });

  it("take 1..64 workers and a port, 0 turning metrics off", () => {
    process.env.CERTGATE_DATAPLANE_WORKERS = "64";
    process.env.CERTGATE_METRICS_PORT = "0";
    expect(readSettings()).toMatchObject({ dataplaneWorkers: 64, metricsPort: 0 });
  });

  it.each(["0", "65", "1.5", "two", "-2"])("refuse %j workers, saying what is allowed", (raw) => {
    process.env.CERTGATE_DATAPLANE_WORKERS = raw;
    expect(() => readSettings()).toThrow(`CERTGATE_DATAPLANE_WORKERS must be a whole number from 1 to 64, got "${raw}".`);
  });

  it("refuses a metrics port out of range", () => {
    process.env.CERTGATE_METRICS_PORT = "70000";
    expect(() => readSettings()).toThrow(`CERTGATE_METRICS_PORT must be a port number from 1 to 65535, or 0 to turn the data plane's /metrics off, got "70000".`);
  });
});
