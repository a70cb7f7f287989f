// The metrics address a node publishes in the registry, where people on other machines read it.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { metricsUrl } from "./metrics";

describe("metricsUrl", () => {
  it("names the bind address, brackets IPv6, and the host name for a wildcard bind", () => {
    expect(metricsUrl("127.0.0.2", 9180)).toBe("http://127.0.0.2:9180/metrics");
    expect(metricsUrl("::1", 9180)).toBe("http://[::1]:9180/metrics");
    expect(metricsUrl("0.0.0.0", 9180)).toBe(`http://${os.hostname()}:9180/metrics`);
    expect(metricsUrl("::", 9181)).toBe(`http://${os.hostname()}:9181/metrics`);
  });
});
