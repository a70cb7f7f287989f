// What a TLS client sees of an endpoint, whatever its Client CA settings: TLS 1.2 and 1.3 only,
// AEAD suites with forward secrecy only, the server certificate's chain sent, ALPN http/1.1.
// Real clients: node:tls and `openssl s_client`, certificates made by openssl.
import { execFile } from "node:child_process";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { createDataplane } from "./dataplane";
import { freePort } from "../../test/ports";
import { attempt, clientCred, httpsListener } from "../../test/dataplane";
import type { Dataplane } from "./types";

let current: Dataplane | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function serve(chainFile = "server.pem", keyFile = "server.key"): Promise<number> {
  current = createDataplane();
  const port = await freePort();
  const listener = httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] });
  listener.tls!.certificateChainPem = testCertText(chainFile);
  listener.tls!.privateKeyPem = testCertText(keyFile);
  await current.apply([listener]);
  expect(current.status(listener.id).state).toBe("serving");
  return port;
}

/** `openssl s_client` with the test client certificate; resolves with what it printed. */
function sClient(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      "openssl",
      [
        "s_client",
        "-connect",
        `127.0.0.1:${port}`,
        "-servername",
        "localhost",
        "-CAfile",
        testCertPath("root-ca.pem"),
        "-cert",
        testCertPath("client.pem"),
        "-key",
        testCertPath("client.key"),
        "-ign_eof",
        ...args,
      ],
      { timeout: 10_000 },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin!.end("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  });
}

describe("protocol versions and cipher suites", () => {
  it.each([
    ["TLSv1.3", "TLS_AES_256_GCM_SHA384"],
    ["TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384"],
  ] as const)("%s negotiates %s (AEAD, forward secret) and answers", async (version, cipher) => {
    const port = await serve();
    const result = await attempt(port, { maxVersion: version, minVersion: version, ...clientCred("client") });
    expect(result.protocol).toBe(version);
    expect(result.response?.status).toBe(200);
    expect(result.response!.json().tls).toEqual({ protocol: version, cipher: version === "TLSv1.3" ? cipher : expect.stringContaining("AES_256_GCM") });
    const printed = await sClient(port, version === "TLSv1.3" ? "-tls1_3" : "-tls1_2");
    expect(printed).toMatch(new RegExp(`Cipher is ${cipher}`));
  });

  it.each(["-tls1", "-tls1_1"])("refuses %s", async (flag) => {
    const port = await serve();
    // The client side may refuse to offer old versions at its default security level; either way no HTTP.
    const printed = await sClient(port, flag, "-cipher", "ALL:@SECLEVEL=0");
    expect(printed).not.toContain("HTTP/1.1");
    expect(printed).toMatch(/alert protocol version|no protocols available|unsupported protocol|wrong version/i);
  });

  it.each([
    ["CBC with ECDHE", "ECDHE-ECDSA-AES128-SHA"],
    ["CBC with SHA-256", "ECDHE-ECDSA-AES256-SHA384"],
    ["RSA key exchange (no forward secrecy)", "AES256-GCM-SHA384"],
    ["3DES", "DES-CBC3-SHA"],
  ])("TLS 1.2 refuses a client that offers only %s", async (_label, cipher) => {
    const port = await serve();
    const printed = await sClient(port, "-tls1_2", "-cipher", `${cipher}:@SECLEVEL=0`);
    expect(printed).not.toContain("HTTP/1.1");
    expect(printed).toMatch(/handshake failure|no ciphers available|no cipher match/i);
  });
});

describe("the server certificate's chain", () => {
  it("is sent: a client that trusts only the root verifies a server certificate issued by an intermediate", async () => {
    const port = await serve("pki-server-chain.pem", "pki-server-of-intermediate.key");
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca: testCertText("root-ca.pem"), ...clientCred("client") });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("secureConnect", resolve);
        socket.once("error", reject);
      });
      expect(socket.authorized).toBe(true);
      const leaf = socket.getPeerCertificate(true);
      expect(leaf.issuerCertificate?.subject.CN).toBe("Test Intermediate CA");
    } finally {
      socket.destroy();
    }
    const printed = await sClient(port, "-showcerts");
    expect(printed.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(printed).toContain("Verify return code: 0 (ok)");
  });
});

describe("ALPN", () => {
  const connect = (port: number, ALPNProtocols?: string[]) =>
    new Promise<string | false | null | NodeJS.ErrnoException>((resolve) => {
      const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca: testCertText("root-ca.pem"), ALPNProtocols, ...clientCred("client") });
      socket.once("secureConnect", () => {
        resolve(socket.alpnProtocol);
        socket.destroy();
      });
      socket.once("error", resolve);
    });

  it("selects http/1.1 when offered beside h2, and lets a client without ALPN in", async () => {
    const port = await serve();
    expect(await connect(port, ["h2", "http/1.1"])).toBe("http/1.1");
    expect(await connect(port)).toBe(false);
  });

  it("refuses a client that speaks only h2 with the no_application_protocol alert", async () => {
    const port = await serve();
    const error = await connect(port, ["h2"]);
    expect((error as NodeJS.ErrnoException).code).toBe("ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
  });
});
