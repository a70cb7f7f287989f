// The API client-certificate port's server credentials: generated once into DATA_DIR/api-tls with
// the private keys sealed, reused and renewed on later starts, or a stored server certificate named
// by CERTGATE_API_MTLS_CERTIFICATE; every way it can go wrong says what to do.
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { openssl } from "../../test/pki";
import { startTestRuntime, stopTestRuntime } from "../../test/runtime";
import { storeTargets, tempDir } from "../../test/stores";
import { loadApiTlsCredentials, type ApiTlsCredentials } from "./api-tls-credentials";
import { API_TLS_DIR } from "./api-tls-files";
import { uploadCertificate } from "./certificates";
import type { Runtime } from "./runtime";

const DAY_MS = 24 * 60 * 60 * 1000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function generatedSettings(secret: string | null = "test-secret") {
  const dataDir = tempDir("certgate-api-tls-");
  dirs.push(dataDir);
  return { dataDir, databaseUrl: null, secret, apiMtlsCertificate: null };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** One HTTPS request to a server presenting `credentials`, trusting only `caPem`: what a client of the port sees. */
async function handshake(credentials: ApiTlsCredentials, caPem: string, host: "localhost" | "127.0.0.1" | "::1"): Promise<string> {
  const server = https.createServer({ cert: credentials.certificatePem, key: credentials.privateKeyPem }, (_req, res) => res.end("ok"));
  const address = host === "::1" ? "::1" : "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  try {
    return await new Promise<string>((resolve, reject) => {
      const request = https.get({ host, port: (server.address() as AddressInfo).port, path: "/", ca: caPem, agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve(body));
      });
      request.on("error", reject);
    });
  } finally {
    server.close();
  }
}

describe("generated credentials (CERTGATE_API_MTLS_CERTIFICATE unset)", () => {
  it("are made once into DATA_DIR/api-tls: a CA file for curl --cacert, a localhost certificate it signed, keys sealed 0600", async () => {
    const settings = generatedSettings();
    const first = await loadApiTlsCredentials(settings);
    const dir = path.join(settings.dataDir, API_TLS_DIR);
    expect(first.source).toEqual({ kind: "generated", caFile: path.join(dir, "ca.crt"), issued: true });
    expect(fs.readdirSync(dir).sort()).toEqual(["ca.crt", "ca.key.sealed", "server.crt", "server.key.sealed"]);
    expect([mode(path.join(dir, "ca.key.sealed")), mode(path.join(dir, "server.key.sealed"))]).toEqual([0o600, 0o600]);

    // No key on disk in plaintext: neither PEM armour nor the key's DER base64 appears in any file.
    const keyDerBase64 = crypto.createPrivateKey(first.privateKeyPem).export({ type: "pkcs8", format: "der" }).toString("base64");
    for (const name of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      expect(text).not.toContain("PRIVATE KEY");
      expect(text).not.toContain(keyDerBase64.slice(0, 40));
    }
    expect(fs.readFileSync(path.join(dir, "server.key.sealed"), "utf8")).toMatch(/^v1:[A-Za-z0-9+/=]+$/);

    // openssl, independently: the chain verifies for TLS servers and names this machine's loopback.
    expect(openssl(["verify", "-CAfile", path.join(dir, "ca.crt"), "-purpose", "sslserver", path.join(dir, "server.crt")])).toMatch(/: OK$/);
    const text = openssl(["x509", "-in", path.join(dir, "server.crt"), "-noout", "-ext", "subjectAltName"]);
    expect(text).toContain("DNS:localhost");
    expect(text).toContain("IP Address:127.0.0.1");
    expect(text).toContain("IP Address:0:0:0:0:0:0:0:1");

    // And a real TLS client that trusts only ca.crt accepts it under each of those names.
    const caPem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
    for (const host of ["localhost", "127.0.0.1", "::1"] as const) expect(await handshake(first, caPem, host)).toBe("ok");
  });

  it("are reused by later starts, and a server certificate near its end is re-issued by the same CA", async () => {
    const settings = generatedSettings();
    const first = await loadApiTlsCredentials(settings);
    const dir = path.join(settings.dataDir, API_TLS_DIR);
    const caPem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");

    const again = await loadApiTlsCredentials(settings);
    expect(again).toEqual({ ...first, source: { ...first.source, issued: false } });

    // 800 of its 825 days later, under 30 days are left: a new server certificate, the CA clients hold unchanged.
    const then = new Date(Date.now() + 800 * DAY_MS);
    const later = await loadApiTlsCredentials(settings, { now: then });
    expect(later.source).toMatchObject({ issued: true });
    expect(later.certificatePem).not.toBe(first.certificatePem);
    expect(later.privateKeyPem).not.toBe(first.privateKeyPem);
    expect(fs.readFileSync(path.join(dir, "ca.crt"), "utf8")).toBe(caPem);
    const attime = String(Math.floor(then.getTime() / 1000));
    expect(openssl(["verify", "-attime", attime, "-CAfile", path.join(dir, "ca.crt"), "-purpose", "sslserver", path.join(dir, "server.crt")])).toMatch(/: OK$/);
    expect((await loadApiTlsCredentials(settings, { now: then })).source).toMatchObject({ issued: false });
  });

  it("are made again when a file is missing, and a server certificate that is not the CA's is replaced", async () => {
    const settings = generatedSettings();
    await loadApiTlsCredentials(settings);
    const dir = path.join(settings.dataDir, API_TLS_DIR);
    const caPem = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");

    // A certificate from elsewhere copied over server.crt: it does not match the sealed key nor the CA.
    fs.writeFileSync(path.join(dir, "server.crt"), testCertText("server.pem"));
    const replaced = await loadApiTlsCredentials(settings);
    expect(replaced.source).toMatchObject({ issued: true });
    expect(fs.readFileSync(path.join(dir, "ca.crt"), "utf8")).toBe(caPem);
    expect(await handshake(replaced, caPem, "localhost")).toBe("ok");

    fs.rmSync(path.join(dir, "ca.key.sealed"));
    const fresh = await loadApiTlsCredentials(settings);
    expect(fs.readFileSync(path.join(dir, "ca.crt"), "utf8")).not.toBe(caPem);
    expect(await handshake(fresh, fs.readFileSync(path.join(dir, "ca.crt"), "utf8"), "127.0.0.1")).toBe("ok");
  });

  it("refuse to start under another secret, saying which secret and what to do", async () => {
    const settings = generatedSettings("the first secret");
    await loadApiTlsCredentials(settings);
    const error = await loadApiTlsCredentials({ ...settings, secret: "another secret" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `${path.join(settings.dataDir, API_TLS_DIR, "ca.key.sealed")} could not be decrypted: CERTGATE_SECRET (or DATA_DIR/secret.key) differs from the one it was made with; start with that secret, or delete ${path.join(settings.dataDir, API_TLS_DIR)} to generate a new CA and server certificate (clients then need the new ca.crt).`,
    );
  });

  it("seal with DATA_DIR/secret.key when CERTGATE_SECRET is unset", async () => {
    const settings = generatedSettings(null);
    const first = await loadApiTlsCredentials(settings);
    expect(mode(path.join(settings.dataDir, "secret.key"))).toBe(0o600);
    expect((await loadApiTlsCredentials(settings)).privateKeyPem).toBe(first.privateKeyPem);
  });
});

describe.each(storeTargets())("a stored server certificate named by CERTGATE_API_MTLS_CERTIFICATE ($name)", (target) => {
  let rt: Runtime | undefined;
  afterEach(async () => {
    await stopTestRuntime(rt);
    rt = undefined;
  });

  const settingsFor = (runtime: Runtime, name: string) => ({
    dataDir: runtime.settings.dataDir,
    databaseUrl: null,
    secret: runtime.settings.secret,
    apiMtlsCertificate: name,
  });

  it("is served with its chain and its unsealed key, and nothing is generated", async () => {
    rt = await startTestRuntime(target);
    const chain = testCertText("server.pem") + testCertText("root-ca.pem");
    await uploadCertificate(rt, { name: "api-server", kind: "server", certificate: chain, privateKey: testCertText("server.key") }, { name: "test" });

    const credentials = await loadApiTlsCredentials(settingsFor(rt, "api-server"), { store: rt.store });
    expect(credentials.source).toEqual({ kind: "stored", name: "api-server" });
    expect(credentials.certificatePem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(crypto.createPrivateKey(credentials.privateKeyPem).export({ type: "pkcs8", format: "der" })).toEqual(
      crypto.createPrivateKey(testCertText("server.key")).export({ type: "pkcs8", format: "der" }),
    );
    expect(fs.existsSync(path.join(rt.settings.dataDir, API_TLS_DIR))).toBe(false);
    expect(await handshake(credentials, fs.readFileSync(testCertPath("root-ca.pem"), "utf8"), "localhost")).toBe("ok");
  });

  it("refuses to start when no certificate has that name, or it is not a server certificate", async () => {
    rt = await startTestRuntime(target);
    await uploadCertificate(rt, { name: "corp-ca", kind: "ca", certificate: testCertText("root-ca.pem") }, { name: "test" });
    await uploadCertificate(rt, { name: "a-client", kind: "client", certificate: testCertText("client.pem") }, { name: "test" });
    const message = (name: string) =>
      loadApiTlsCredentials(settingsFor(rt!, name), { store: rt!.store }).then(
        () => "started",
        (e: Error) => e.message,
      );
    const unset = "or unset CERTGATE_API_MTLS_CERTIFICATE to use a certificate generated for localhost";
    expect(await message("api-sever")).toBe(
      `CERTGATE_API_MTLS_CERTIFICATE names "api-sever", but no certificate has that name; upload it under Certificates as a Server certificate with its private key, ${unset}.`,
    );
    expect(await message("corp-ca")).toBe(`CERTGATE_API_MTLS_CERTIFICATE names "corp-ca", a CA certificate; name a Server certificate (one uploaded with its private key), ${unset}.`);
    expect(await message("a-client")).toBe(`CERTGATE_API_MTLS_CERTIFICATE names "a-client", a client certificate; name a Server certificate (one uploaded with its private key), ${unset}.`);
  });
});

it("reads the store of the settings when none is handed in (the console's start)", async () => {
  const target = storeTargets()[0];
  const rt = await startTestRuntime(target);
  try {
    await uploadCertificate(rt, { name: "api-server", kind: "server", certificate: testCertText("server.pem"), privateKey: testCertText("server.key") }, { name: "test" });
    const credentials = await loadApiTlsCredentials({ dataDir: rt.settings.dataDir, databaseUrl: null, secret: rt.settings.secret, apiMtlsCertificate: "api-server" });
    expect(credentials.source).toEqual({ kind: "stored", name: "api-server" });
  } finally {
    await stopTestRuntime(rt);
  }
});
