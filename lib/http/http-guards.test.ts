// The pure checks the console applies to every request before a handler runs.
import { describe, expect, it } from "vitest";
import { inspectRawRequest } from "./console-request-guard";
import { addressedHost, clientAddress, hostPolicyFromEnv, hostRefusal, hostnameOf } from "./host-allowlist";
import { jsonNestsDeeperThan } from "./json-depth";
import { mediaTypeOf } from "./media-type";

const bytes = (text: string) => Buffer.from(text);

describe("JSON nesting depth", () => {
  it("accepts the API's shapes and refuses deeper nesting before any parse", () => {
    expect(jsonNestsDeeperThan(bytes('{"clientAuth":{"trustedCertificateIds":["a","b"]}}'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes("[[[[1]]]]"), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes("[[[1]]]"), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes("[".repeat(1_000_000) + "]".repeat(1_000_000)))).toBe(true);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ name: "[[[[{{{{", note: 'a\\"[[[[' })), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: "\\" }) + "[[["), 1)).toBe(true);
  });
});

describe("media types", () => {
  it("parses the type, not a substring", () => {
    expect(mediaTypeOf("application/json")).toBe("application/json");
    expect(mediaTypeOf("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mediaTypeOf("text/html; x=application/json")).toBe("text/html");
    expect(mediaTypeOf("application/jsonx")).toBe("application/jsonx");
    expect(mediaTypeOf("application/json x")).toBeNull();
    expect(mediaTypeOf("")).toBeNull();
    expect(mediaTypeOf(null)).toBeNull();
  });
});

describe("the Host allowlist", () => {
  const loopbackOnly = hostPolicyFromEnv({});

  it("answers loopback names by default and refuses a rebound name, naming the setting to change", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "LOCALHOST", "[::1]:3000", "127.3.4.5", "console.localhost:3000"]) {
      expect(hostRefusal(host, loopbackOnly), host).toBeNull();
    }
    expect(hostRefusal("evil.example:3000", loopbackOnly)).toMatch(/"evil\.example".*CERTGATE_ALLOWED_HOSTS/);
    expect(hostRefusal("127.0.0.1.evil.example", loopbackOnly)).not.toBeNull();
    expect(hostRefusal(null, loopbackOnly)).toMatch(/no Host header/);
    expect(hostRefusal("a b", loopbackOnly)).toMatch(/malformed/);
  });

  it("adds CERTGATE_ALLOWED_HOSTS, CERTGATE_PUBLIC_URL and a bound IP address", () => {
    const policy = hostPolicyFromEnv({ CERTGATE_ALLOWED_HOSTS: "lb.corp.example, Console.Example:8443", CERTGATE_PUBLIC_URL: "https://certgate.example.org/", HOST: "10.1.2.3" });
    for (const host of ["lb.corp.example", "console.example:3000", "certgate.example.org", "10.1.2.3:3000"]) expect(hostRefusal(host, policy), host).toBeNull();
    expect(hostRefusal("other.example", policy)).not.toBeNull();
    expect(hostRefusal("0.0.0.0:3000", hostPolicyFromEnv({ HOST: "0.0.0.0" }))).not.toBeNull();
  });

  it("believes X-Forwarded-Host only from a configured proxy", () => {
    const policy = hostPolicyFromEnv({ CERTGATE_TRUSTED_PROXIES: "127.0.0.9", CERTGATE_ALLOWED_HOSTS: "certgate.example.org" });
    const forwarded = { host: "127.0.0.1:3000", forwardedHost: "certgate.example.org" };
    expect(addressedHost({ ...forwarded, peerAddress: "127.0.0.9" }, policy)).toBe("certgate.example.org");
    expect(addressedHost({ ...forwarded, peerAddress: "::ffff:127.0.0.9" }, policy)).toBe("certgate.example.org");
    expect(addressedHost({ ...forwarded, peerAddress: "127.0.0.1" }, policy)).toBe("127.0.0.1:3000");
    expect(addressedHost({ ...forwarded, peerAddress: null }, policy)).toBe("127.0.0.1:3000");
  });

  it("reads host names out of Host values", () => {
    expect(hostnameOf("[::1]:3000")).toBe("::1");
    expect(hostnameOf("Example.COM.:80")).toBe("example.com");
    expect(hostnameOf("exa_mple.com")).toBeNull();
  });
});

describe("the raw request guard", () => {
  it("passes ordinary requests", () => {
    expect(inspectRawRequest("GET", "/api/v1/listeners/abc?x=%20")).toEqual({ kind: "pass" });
    expect(inspectRawRequest("PATCH", "/listeners/a%20b")).toEqual({ kind: "pass" });
  });

  it("refuses malformed percent-escapes and dot segments with a 400", () => {
    for (const url of ["/api/v1/listeners/%zz", "/api/v1/certificates/%ED%A0%80", "/api/v1/../x", "/api/v1/listeners/..", "/api/v1/%2e%2E/x", "/listeners/./x"]) {
      expect(inspectRawRequest("GET", url), url).toMatchObject({ kind: "refuse", status: 400 });
    }
    expect(inspectRawRequest("GET", "/api/v1/listeners/%zz")).toMatchObject({ api: true });
    expect(inspectRawRequest("GET", "/listeners/%zz")).toMatchObject({ api: false });
  });

  it("hands methods Next cannot route to the API route for its 405, and refuses them on pages", () => {
    expect(inspectRawRequest("TRACE", "/api/v1/load-balancers")).toEqual({ kind: "refused-method", method: "TRACE" });
    expect(inspectRawRequest("CONNECT", "/load-balancers")).toMatchObject({ kind: "refuse", status: 405, allow: "GET, HEAD, POST" });
  });
});

describe("the client's address for sign-in limits", () => {
  const policy = hostPolicyFromEnv({ CERTGATE_TRUSTED_PROXIES: "10.0.0.5" });
  it("is the TCP peer, whatever X-Forwarded-For claims, unless the peer is a trusted proxy", () => {
    expect(clientAddress({ peerAddress: "::ffff:203.0.113.9", forwardedFor: "198.51.100.1" }, policy)).toBe("203.0.113.9");
    expect(clientAddress({ peerAddress: "10.0.0.5", forwardedFor: "198.51.100.1, 192.0.2.7" }, policy)).toBe("192.0.2.7");
    expect(clientAddress({ peerAddress: "10.0.0.5", forwardedFor: null }, policy)).toBe("10.0.0.5");
  });
});
