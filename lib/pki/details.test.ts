import { describe, expect, it } from "vitest";
import { decodeCertificates, describeCertificateDer, sha256Hex, toPem, type CertificateDetails } from "./index";
import { pemEncode, splitPemCertificates } from "./pem";
import { testCert, testCertPath, testCertText } from "../../test/certs";
import { openssl, opensslX509, valueOf } from "../../test/pki";

function details(name: string): CertificateDetails {
  return valueOf(decodeCertificates(testCert(name)))[0].details;
}

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

describe("details agree with the openssl CLI", () => {
  const files = [
    "root-ca.pem",
    "intermediate-ca.pem",
    "server.pem",
    "client.pem",
    "client-of-intermediate.pem",
    "client-expired.pem",
    "pki-rsa-server.pem",
    "pki-p384-ca.pem",
    "pki-ed25519-ca.pem",
    "pki-rsapss-ca.pem",
  ];
  for (const file of files) {
    it(file, () => {
      const d = details(file);
      const reference = opensslX509(testCertPath(file));
      expect(d.subject).toBe(reference.subject);
      expect(d.issuer).toBe(reference.issuer);
      expect(d.serialNumber).toBe(reference.serial);
      expect(d.fingerprintSha256).toBe(reference.fingerprint);
      expect(d.notBefore).toEqual(reference.notBefore);
      expect(d.notAfter).toEqual(reference.notAfter);
    });
  }
});

describe("details of the fixtures", () => {
  it("a root CA", () => {
    expect(details("root-ca.pem")).toMatchObject({
      keyAlgorithm: "EC P-256",
      keyBits: 256,
      signatureAlgorithm: "ECDSA with SHA-256",
      isCA: true,
      pathLength: null,
      keyUsage: ["keyCertSign", "cRLSign"],
      extendedKeyUsage: [],
      subjectAltNames: [],
      selfSigned: true,
    });
  });

  it("an intermediate CA with a path length", () => {
    expect(details("intermediate-ca.pem")).toMatchObject({ isCA: true, pathLength: 0, selfSigned: false });
  });

  it("a server certificate", () => {
    expect(details("server.pem")).toMatchObject({
      subject: "CN=localhost",
      isCA: false,
      keyUsage: ["digitalSignature", "keyEncipherment"],
      extendedKeyUsage: [SERVER_AUTH],
      subjectAltNames: ["DNS:localhost", "IP:127.0.0.1"],
      selfSigned: false,
    });
  });

  it("key and signature algorithms", () => {
    const rows = ["pki-rsa-server.pem", "pki-p384-ca.pem", "pki-ed25519-ca.pem", "pki-rsapss-ca.pem", "pki-sha1-client.pem", "pki-rsa1024-ca.pem"].map((f) => {
      const d = details(f);
      return [f, d.keyAlgorithm, d.keyBits, d.signatureAlgorithm];
    });
    expect(rows).toEqual([
      ["pki-rsa-server.pem", "RSA 2048", 2048, "ECDSA with SHA-256"], // signed by the EC root
      ["pki-p384-ca.pem", "EC P-384", 384, "ECDSA with SHA-384"],
      ["pki-ed25519-ca.pem", "Ed25519", null, "Ed25519"],
      ["pki-rsapss-ca.pem", "RSA-PSS 2048", 2048, "RSA-PSS"],
      ["pki-sha1-client.pem", "EC P-256", 256, "ECDSA with SHA-1"],
      ["pki-rsa1024-ca.pem", "RSA 1024", 1024, "RSA PKCS#1 v1.5 with SHA-256"],
    ]);
  });

  it("every SAN type, IPv6 in RFC 5952 form", () => {
    expect(details("pki-san-client.pem").subjectAltNames).toEqual([
      "DNS:example.com",
      "IP:127.0.0.1",
      "IP:::1",
      "IP:2001:db8::8:800:200c:417a",
      "email:a@example.com",
      "URI:https://example.com/x",
    ]);
    expect(details("client.pem").extendedKeyUsage).toEqual([CLIENT_AUTH]);
  });

  it("escapes names as RFC 4514 says and keeps a multi-valued RDN together", () => {
    const subject = details("pki-names-client.pem").subject;
    expect(subject).toBe('CN=multi+UID=val,CN=\\#hash \\"q\\" \\<x\\>\\;y\\\\z\\ ,OU=a\\+b,O=Test\\, Inc.');
    // openssl lists the attributes of a multi-valued RDN in reverse; everything else is identical.
    const reference = opensslX509(testCertPath("pki-names-client.pem")).subject;
    expect(subject.replace("CN=multi+UID=val", "UID=val+CN=multi")).toBe(reference);
  });

  it("self-signed means the certificate's own key verifies it, not just equal names", () => {
    const namesake = details("pki-root-namesake.pem");
    expect(namesake.subject).toBe(namesake.issuer);
    expect(namesake.selfSigned).toBe(false);
    expect(details("self-signed-client.pem").selfSigned).toBe(true);
    expect(details("pki-ed25519-ca.pem").selfSigned).toBe(true);
    expect(details("pki-rsapss-ca.pem").selfSigned).toBe(true);
  });
});

describe("describeCertificateDer", () => {
  const der = testCert("server.der");

  it("describes a peer certificate's DER like an upload", () => {
    expect(describeCertificateDer(der)).toEqual(details("server.pem"));
  });

  it("throws on malformed DER, including trailing bytes", () => {
    expect(() => describeCertificateDer(der.subarray(0, 200))).toThrow();
    expect(() => describeCertificateDer(Buffer.concat([der, Buffer.from([0])]))).toThrow();
  });

  it("is fast enough to run per handshake", () => {
    const start = performance.now();
    for (let i = 0; i < 200; i++) describeCertificateDer(der);
    expect((performance.now() - start) / 200).toBeLessThan(5);
  });
});

describe("sha256Hex and toPem", () => {
  it("match openssl", () => {
    const der = testCert("root-ca.der");
    expect(sha256Hex(der)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(der)).toBe(openssl(["dgst", "-sha256", "-r"], der).split(" ")[0]);
    expect(toPem(der)).toBe(testCertText("root-ca.pem"));
  });
});

describe("splitPemCertificates", () => {
  it("returns each certificate block of a stored bundle, and skips other blocks", () => {
    const root = testCert("root-ca.der");
    const server = testCert("server.der");
    const bundle = toPem(server) + pemEncode(Buffer.from("not a certificate"), "PRIVATE KEY") + toPem(root);
    const blocks = splitPemCertificates(bundle);
    expect(blocks).toEqual([toPem(server), toPem(root)]);
    expect(splitPemCertificates(pemEncode(root, "X509 CRL"))).toEqual([]);
  });
});
