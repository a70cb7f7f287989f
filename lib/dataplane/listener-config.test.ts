import { describe, expect, it } from "vitest";
import { describeBindError } from "./error-messages";
import { configKeys, endpointUrl } from "./listener-config";
import { httpsListener } from "../../test/dataplane";

describe("endpointUrl", () => {
  it("shows wildcard hosts as loopback and brackets IPv6", () => {
    expect(endpointUrl("HTTPS", "0.0.0.0", 8443)).toBe("https://127.0.0.1:8443");
    expect(endpointUrl("HTTPS", "127.0.0.1", 443)).toBe("https://127.0.0.1:443");
    expect(endpointUrl("HTTP", "::", 8080)).toBe("http://[::1]:8080");
    expect(endpointUrl("HTTPS", "::1", 8443)).toBe("https://[::1]:8443");
    expect(endpointUrl("HTTPS", "localhost", 8443)).toBe("https://localhost:8443");
  });
});

describe("configKeys", () => {
  it("tells a rename, a move and a rule change apart", () => {
    const base = httpsListener(8443);
    const keys = configKeys(base);
    expect(configKeys({ ...base, name: "other" })).toMatchObject({ bind: keys.bind, content: keys.content });
    expect(configKeys({ ...base, port: 9443 })).toMatchObject({ content: keys.content, name: keys.name });
    const enabled = { ...base, tls: { ...base.tls!, clientAuth: { ...base.tls!.clientAuth, enabled: true } } };
    expect(configKeys(enabled).content).not.toBe(keys.content);
    expect(configKeys(enabled).bind).toBe(keys.bind);
    expect(keys.content).not.toContain("PRIVATE");
  });

  it("changes the content key when a CRL is added, replaced or removed, not when the same CRL comes in another Buffer", () => {
    const base = httpsListener(8443, { enabled: true, caCertificatesPem: ["ca"] });
    const withCrls = (crlsDer: Buffer[]) => ({ ...base, tls: { ...base.tls!, clientAuth: { ...base.tls!.clientAuth, crlsDer } } });
    const none = configKeys(base).content;
    const one = configKeys(withCrls([Buffer.from("crl one")])).content;
    expect(one).not.toBe(none);
    expect(configKeys(withCrls([])).content).toBe(none);
    expect(configKeys(withCrls([Buffer.from("crl one")])).content).toBe(one);
    expect(configKeys(withCrls([Buffer.from("crl two")])).content).not.toBe(one);
  });
});

describe("describeBindError", () => {
  it("gives one actionable sentence per cause", () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(describeBindError(err("EADDRINUSE"), "127.0.0.1", 8443)).toBe(
      "Port 8443 on 127.0.0.1 is already in use by another program; stop that program or pick another port.",
    );
    expect(describeBindError(err("EADDRINUSE"), "127.0.0.1", 8443, undefined, { pid: 42, command: "nginx" })).toBe(
      'Port 8443 on 127.0.0.1 is already in use by another program ("nginx", pid 42); stop that program or pick another port.',
    );
    expect(describeBindError(err("EADDRINUSE"), "127.0.0.1", 8443, "https-8443")).toBe(
      'Port 8443 on 127.0.0.1 is already used by listener "https-8443"; pick another port.',
    );
    expect(describeBindError(err("EACCES"), "0.0.0.0", 443)).toMatch(/^Port 443 on 0\.0\.0\.0 needs privileges/);
    expect(describeBindError(err("EADDRNOTAVAIL"), "10.9.9.9", 8443)).toMatch(/^Address 10\.9\.9\.9 does not belong to this machine/);
  });
});
