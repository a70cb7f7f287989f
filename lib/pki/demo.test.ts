import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoPki, validateUpload } from "./index";
import { openssl, valueOf } from "../../test/pki";

const now = new Date();
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
let demo: Awaited<ReturnType<typeof generateDemoPki>>;
let dir: string;

beforeAll(async () => {
  demo = await generateDemoPki({ now });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-demo-"));
  for (const [name, pair] of Object.entries(demo)) fs.writeFileSync(path.join(dir, `${name}.pem`), pair.certificatePem);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generateDemoPki", () => {
  it("passes certgate's own upload rules for each kind, without warnings", () => {
    const ca = valueOf(validateUpload({ kind: "ca", certificate: demo.ca.certificatePem }));
    const server = valueOf(validateUpload({ kind: "server", certificate: demo.server.certificatePem, privateKey: demo.server.privateKeyPem }));
    const client = valueOf(validateUpload({ kind: "client", certificate: demo.client.certificatePem }));
    expect([ca.warnings, server.warnings, client.warnings]).toEqual([[], [], []]);

    expect(ca.certificates[0].details).toMatchObject({ subject: "CN=certgate demo CA", isCA: true, selfSigned: true, keyAlgorithm: "EC P-256", signatureAlgorithm: "ECDSA with SHA-256" });
    expect(server.certificates[0].details).toMatchObject({
      subject: "CN=localhost",
      issuer: "CN=certgate demo CA",
      subjectAltNames: ["DNS:localhost", "IP:127.0.0.1", "IP:::1"],
      extendedKeyUsage: ["1.3.6.1.5.5.7.3.1"],
      isCA: false,
    });
    expect(client.certificates[0].details).toMatchObject({ subject: "CN=demo-client", extendedKeyUsage: ["1.3.6.1.5.5.7.3.2"], isCA: false });
  });

  it("uses the documented validity periods", () => {
    const read = (pem: string) => {
      const [notBefore, notAfter] = ["-startdate", "-enddate"].map((flag) => new Date(openssl(["x509", "-noout", flag], Buffer.from(pem)).split("=")[1]));
      return { notBefore: notBefore.getTime(), notAfter: notAfter.getTime() };
    };
    const expectedStart = Math.floor((now.getTime() - HOUR_MS) / 1000) * 1000;
    const ca = read(demo.ca.certificatePem);
    expect(ca.notBefore).toBe(expectedStart);
    expect(new Date(ca.notAfter).getUTCFullYear() - new Date(ca.notBefore).getUTCFullYear()).toBe(10);
    for (const leaf of [demo.server, demo.client]) {
      const { notBefore, notAfter } = read(leaf.certificatePem);
      expect(notBefore).toBe(expectedStart);
      expect((notAfter - notBefore) / DAY_MS).toBe(825);
    }
  });

  it("makes a chain openssl verifies for the right purposes", () => {
    const verify = (leaf: string, purpose: string) =>
      openssl(["verify", "-CAfile", path.join(dir, "ca.pem"), "-purpose", purpose, path.join(dir, `${leaf}.pem`)]);
    expect(verify("server", "sslserver")).toMatch(/: OK$/);
    expect(verify("client", "sslclient")).toMatch(/: OK$/);
    expect(() => verify("client", "sslserver")).toThrow();
  });

  it("returns unencrypted PKCS#8 keys", () => {
    for (const pair of Object.values(demo)) expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("works for a real mutual-TLS handshake", async () => {
    const server = tls.createServer({
      key: demo.server.privateKeyPem,
      cert: demo.server.certificatePem,
      ca: demo.ca.certificatePem,
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on("secureConnection", (socket) => socket.end(String(socket.getPeerCertificate().subject.CN)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const peer = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({
          host: "127.0.0.1",
          port,
          servername: "localhost",
          ca: demo.ca.certificatePem,
          key: demo.client.privateKeyPem,
          cert: demo.client.certificatePem,
        });
        let received = "";
        socket.on("data", (chunk) => (received += chunk));
        socket.on("end", () => resolve(received));
        socket.on("error", reject);
      });
      expect(peer).toBe("demo-client");
    } finally {
      server.close();
    }
  });
});
