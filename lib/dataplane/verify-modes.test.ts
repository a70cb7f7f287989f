// clientAuth.mode against real TLS sockets and openssl-made certificates (scripts/make-test-certs.sh):
// optional mode asks for and verifies the certificate exactly like required mode, refuses nobody,
// and passes the verdict on in the echo's X-Client-Cert-Verify; required mode is unchanged.
import { execFile } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { attempt, clientCred, der, eventually, expectRefusal, FeedLog, httpListener, httpsListener, plainRequest } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { sha256Hex } from "../pki/fingerprint";
import { createDataplane } from "./dataplane";
import type { ClientAuthMode, Dataplane } from "./types";

let current: Dataplane | null = null;
let feed = new FeedLog();

function start(): Dataplane {
  feed = new FeedLog();
  current = createDataplane({ onConnection: feed.onConnection });
  return current;
}

afterEach(async () => {
  await current?.close();
  current = null;
});

async function listenerWithRootCa(mode: ClientAuthMode) {
  const dataplane = start();
  const port = await freePort();
  const listener = httpsListener(port, { enabled: true, mode, caCertificatesPem: [testCertText("root-ca.pem")] });
  await dataplane.apply([listener]);
  return { dataplane, port, listener };
}

const SPOOFED =
  "X-Client-Cert-Verify: SUCCESS\r\nX-Client-Cert-Subject: CN%3Dadmin\r\nX-Client-Cert-Fingerprint-SHA256: 00ff\r\n";

describe("optional mode", () => {
  it("lets a client without a certificate in: 200 echo with X-Client-Cert-Verify NONE and no certificate headers", async () => {
    const { port, listener } = await listenerWithRootCa("optional");
    const result = await attempt(port, { extraHeaders: SPOOFED });
    expect(result.error).toBeNull();
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.clientCertificate).toBeNull();
    // The spoofed copies the client sent are not what the endpoint reports.
    expect(echo.headers).toEqual({
      "X-Client-Cert-Subject": "",
      "X-Client-Cert-Issuer": "",
      "X-Client-Cert-Serial": "",
      "X-Client-Cert-Fingerprint-SHA256": "",
      "X-Client-Cert-Not-Before": "",
      "X-Client-Cert-Not-After": "",
      "X-Client-Cert-Verify": "NONE",
    });
    const [record] = await eventually(() => {
      expect(feed.of(listener.id)).toHaveLength(1);
      return feed.of(listener.id);
    });
    expect(record).toMatchObject({ outcome: "accepted", reason: "no_certificate", clientCertificate: null });
  });

  it.each([
    // The dated certificates are made with `openssl ca`, which writes the subject in the other order.
    ["client-other", "untrusted_issuer", "CN=client-other,O=Other Corp"],
    ["self-signed-client", "untrusted_issuer", "CN=self-signed-client"],
    ["client-expired", "expired", "O=Test Corp,CN=client-expired"],
    ["client-future", "not_yet_valid", "O=Test Corp,CN=client-future"],
    ["client-serveronly", "bad_key_usage", "CN=client-serveronly,O=Test Corp"],
  ])("lets %s in: 200 echo with FAILED:%s and the presented certificate's headers", async (name, reason, subject) => {
    const { port, listener } = await listenerWithRootCa("optional");
    const result = await attempt(port, { ...clientCred(name), extraHeaders: SPOOFED });
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.headers["X-Client-Cert-Verify"]).toBe(`FAILED:${reason}`);
    expect(echo.clientCertificate?.subject).toBe(subject);
    expect(decodeURIComponent(echo.headers["X-Client-Cert-Subject"])).toBe(subject);
    expect(echo.headers["X-Client-Cert-Fingerprint-SHA256"]).toBe(sha256Hex(der(`${name}.pem`)));
    const [record] = await eventually(() => {
      expect(feed.of(listener.id)).toHaveLength(1);
      return feed.of(listener.id);
    });
    expect(record).toMatchObject({ outcome: "accepted", reason, clientCertificate: { subject } });
  });

  it("verifies a valid certificate: 200 echo with SUCCESS, logged ok", async () => {
    const { port, listener } = await listenerWithRootCa("optional");
    const result = await attempt(port, clientCred("client"));
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    expect(decodeURIComponent(echo.headers["X-Client-Cert-Subject"])).toBe("CN=client-one,O=Test Corp");
    await eventually(() => expect(feed.of(listener.id)[0]).toMatchObject({ outcome: "accepted", reason: "ok" }));
  });

  it("applies pins the same way: a certificate that is not pinned is passed on as FAILED:not_pinned", async () => {
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, { enabled: true, mode: "optional", pinnedCertificatesDer: [der("client.pem")] })]);
    expect((await attempt(port, clientCred("client"))).response!.json().headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    expect((await attempt(port, clientCred("client-two"))).response!.json().headers["X-Client-Cert-Verify"]).toBe("FAILED:not_pinned");
    expect((await attempt(port)).response!.json().headers["X-Client-Cert-Verify"]).toBe("NONE");
  });

  it("does not insist on a certificate at the TLS level: openssl s_client without one gets no alert and reads the echo", async () => {
    const { port } = await listenerWithRootCa("optional");
    const output = await sClient(port, []);
    expect(output).not.toMatch(/alert/i);
    expect(output).toContain('"X-Client-Cert-Verify":"NONE"');
  });
});

describe("report mode", () => {
  it.each([
    [null, "no_certificate", null],
    ["client-other", "untrusted_issuer", "CN=client-other,O=Other Corp"],
    ["client-expired", "expired", "O=Test Corp,CN=client-expired"],
    ["client-serveronly", "bad_key_usage", "CN=client-serveronly,O=Test Corp"],
  ])("lets %s in like optional, and logs would_reject with the reason required would give", async (name, reason, subject) => {
    const { port, listener } = await listenerWithRootCa("report");
    const result = await attempt(port, name ? clientCred(name) : {});
    expect(result.response?.status).toBe(200);
    expect(result.response!.json().headers["X-Client-Cert-Verify"]).toBe(name ? `FAILED:${reason}` : "NONE");
    const [record] = await eventually(() => {
      expect(feed.of(listener.id)).toHaveLength(1);
      return feed.of(listener.id);
    });
    expect(record).toMatchObject({ outcome: "would_reject", reason, clientCertificate: subject ? { subject } : null });
  });

  it("logs a certificate required accepts as accepted/ok, and applies pins the same way", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port, { enabled: true, mode: "report", caCertificatesPem: [testCertText("root-ca.pem")], pinnedCertificatesDer: [der("client.pem")] });
    await dataplane.apply([listener]);
    expect((await attempt(port, clientCred("client"))).response!.json().headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    expect((await attempt(port, clientCred("client-two"))).response?.status).toBe(200);
    await eventually(() =>
      expect(feed.of(listener.id).map((r) => [r.outcome, r.reason])).toEqual([
        ["would_reject", "not_pinned"],
        ["accepted", "ok"],
      ]),
    );
  });
});

describe("required mode is unchanged", () => {
  it("refuses a client without a certificate in the handshake (alert 116) and logs no_certificate", async () => {
    const { port, listener } = await listenerWithRootCa("required");
    const result = await attempt(port);
    expect(result.httpBytes).toBe(0);
    expect(result.error).toMatch(/CERTIFICATE_REQUIRED|ECONNRESET/);
    expect(await sClient(port, [])).toMatch(/alert number 116|certificate required/i);
    await eventually(() => expect(feed.of(listener.id)[0]).toMatchObject({ outcome: "rejected", reason: "no_certificate" }));
  });

  it("refuses an untrusted certificate with the 403 naming the reason, and serves a valid one with SUCCESS", async () => {
    const { port, listener } = await listenerWithRootCa("required");
    expectRefusal(await attempt(port, clientCred("client-other")), "untrusted_issuer");
    const ok = await attempt(port, { ...clientCred("client"), extraHeaders: SPOOFED });
    expect(ok.response!.json().headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    expect(decodeURIComponent(ok.response!.json().headers["X-Client-Cert-Subject"])).toBe("CN=client-one,O=Test Corp");
    await eventually(() => expect(feed.of(listener.id).map((r) => [r.outcome, r.reason])).toEqual([["accepted", "ok"], ["rejected", "untrusted_issuer"]]));
  });

  it("is the default when no mode is given", async () => {
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] })]);
    expect((await attempt(port)).httpBytes).toBe(0);
  });
});

describe("switching modes", () => {
  it("applies to new connections, and a session made under optional without a certificate does not resume under required", async () => {
    const { dataplane, port, listener } = await listenerWithRootCa("optional");
    const first = await attempt(port, { maxVersion: "TLSv1.2" });
    expect(first.response?.status).toBe(200);
    expect(first.session).not.toBeNull();
    await dataplane.apply([{ ...listener, tls: { ...listener.tls!, clientAuth: { ...listener.tls!.clientAuth, mode: "required" } } }]);
    const resumed = await attempt(port, { maxVersion: "TLSv1.2", session: first.session! });
    expect(resumed.reused).toBe(false);
    expect(resumed.httpBytes).toBe(0);
  });
});

describe("listeners without client auth", () => {
  it("report NONE and ignore spoofed certificate headers on HTTPS and HTTP", async () => {
    const dataplane = start();
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    await dataplane.apply([httpsListener(httpsPort), httpListener(httpPort)]);
    const https = (await attempt(httpsPort, { extraHeaders: SPOOFED })).response!.json();
    expect(https.headers["X-Client-Cert-Verify"]).toBe("NONE");
    expect(https.headers["X-Client-Cert-Subject"]).toBe("");
    const http = await plainRequest(httpPort);
    expect(http!.json().headers["X-Client-Cert-Verify"]).toBe("NONE");
  });
});

/** openssl s_client's whole output for one GET (stdin closed after the request). */
function sClient(port: number, extra: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-CAfile", testCertPath("root-ca.pem"), "-ign_eof", ...extra],
      { timeout: 10_000 },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin!.end("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  });
}
