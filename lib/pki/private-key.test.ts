import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validateUpload } from "./index";
import { testCert, testCertText } from "../../test/certs";
import { PASSPHRASE, problemOf, valueOf } from "../../test/pki";

const server = testCertText("server.pem");
const rsaServer = testCertText("pki-rsa-server.pem");

function uploadServer(certificate: string, privateKey?: Uint8Array | string | null, passphrase?: string | null) {
  return validateUpload({ kind: "server", certificate, privateKey, passphrase });
}

/** The returned key must be plain PKCS#8 PEM and the private half of the certificate. */
function expectKeyOf(certificatePem: string, privateKeyPem: string | null) {
  expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
  const spki = createPublicKey(createPrivateKey(privateKeyPem!)).export({ type: "spki", format: "der" });
  expect(spki.equals(new X509Certificate(certificatePem).publicKey.export({ type: "spki", format: "der" }))).toBe(true);
}

describe("kind server: the private key", () => {
  it("accepts PKCS#8, SEC1 and PKCS#1 keys and returns unencrypted PKCS#8", () => {
    const cases: [string, string][] = [
      [server, "server.key"],
      [server, "pki-server.sec1.key"],
      [rsaServer, "pki-rsa-server.pkcs1.key"],
    ];
    for (const [certificate, keyFile] of cases) {
      const result = valueOf(uploadServer(certificate, testCert(keyFile)));
      expect(result.warnings, keyFile).toEqual([]);
      expectKeyOf(certificate, result.privateKeyPem);
    }
  });

  it("accepts a SEC1 key preceded by its EC PARAMETERS block, and a key pasted on one line", () => {
    const params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    expectKeyOf(server, valueOf(uploadServer(server, params + testCertText("pki-server.sec1.key"))).privateKeyPem);
    expectKeyOf(server, valueOf(uploadServer(server, testCertText("server.key").replace(/\n/g, " "))).privateKeyPem);
  });

  it("decrypts encrypted PKCS#8 and legacy encrypted PKCS#1 keys with the passphrase", () => {
    expectKeyOf(server, valueOf(uploadServer(server, testCertText("pki-server.enc.key"), PASSPHRASE)).privateKeyPem);
    expectKeyOf(rsaServer, valueOf(uploadServer(rsaServer, testCertText("pki-rsa-server.legacy-enc.key"), PASSPHRASE)).privateKeyPem);
  });

  it("asks for the passphrase of an encrypted key, on the passphrase field", () => {
    for (const [certificate, keyFile] of [[server, "pki-server.enc.key"], [rsaServer, "pki-rsa-server.legacy-enc.key"]]) {
      expect(problemOf(uploadServer(certificate, testCertText(keyFile)))).toMatchObject({ field: "passphrase", code: "passphrase_required", status: 422 });
      const wrong = problemOf(uploadServer(certificate, testCertText(keyFile), "wrong horse"));
      expect(wrong).toMatchObject({ field: "passphrase", code: "wrong_passphrase" });
      expect(wrong.message).toMatch(/check it/);
    }
  });

  it("ignores a passphrase for an unencrypted key, with a warning", () => {
    expect(valueOf(uploadServer(server, testCertText("server.key"), "unneeded")).warnings).toEqual([expect.stringMatching(/not encrypted.*ignored/)]);
  });

  it("requires a key", () => {
    for (const missing of [undefined, null, "", "  \n", new Uint8Array(0)]) {
      expect(problemOf(uploadServer(server, missing))).toMatchObject({ field: "privateKey", code: "missing_private_key" });
    }
  });

  it("refuses a key that belongs to another certificate", () => {
    const problem = problemOf(uploadServer(server, testCertText("client.key")));
    expect(problem).toMatchObject({ field: "privateKey", code: "key_mismatch" });
    expect(problem.message).toMatch(/does not belong to this certificate/);
  });

  it("accepts a leaf followed by its chain, and explains a chain in the wrong order", () => {
    const key = testCertText("pki-server-of-intermediate.key");
    const chain = valueOf(uploadServer(testCertText("pki-server-chain.pem"), key));
    expect(chain.certificates.map((c) => c.details.subject)).toEqual(["CN=localhost", "CN=Test Intermediate CA,O=Test Corp"]);
    expect(chain.warnings).toEqual([]);
    const reversed = problemOf(uploadServer(testCertText("pki-server-chain-reversed.pem"), key));
    expect(reversed.code).toBe("key_mismatch");
    expect(reversed.message).toMatch(/belongs to certificate 2 of 2.*put the server certificate first/);
  });

  it("refuses things that are not one PEM private key", () => {
    const cases: [Uint8Array | string, RegExp][] = [
      ["hello", /must be PEM text/],
      [Buffer.from(testCertText("server.key").replace(/-----[^-]+-----|\s/g, ""), "base64"), /must be PEM text/],
      [server, /holds a certificate, not a key/],
      [testCertText("server.key") + testCertText("client.key"), /2 private keys/],
      [testCertText("server.key").replace(/^(.{30}).{8}/m, "$1AAAAAAAA"), /could not be read/],
    ];
    for (const [privateKey, message] of cases) {
      const problem = problemOf(uploadServer(server, privateKey));
      expect(problem).toMatchObject({ field: "privateKey", code: "bad_private_key" });
      expect(problem.message).toMatch(message);
    }
  });
});
