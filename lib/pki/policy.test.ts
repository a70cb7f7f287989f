import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateUpload, type CertificateKind } from "./index";
import { testCert, testCertText } from "../../test/certs";
import { openssl, problemOf, valueOf } from "../../test/pki";

const DAY_MS = 24 * 60 * 60 * 1000;

function upload(kind: CertificateKind, certificate: Uint8Array | string, extra: { privateKey?: string; now?: Date } = {}) {
  return validateUpload({ kind, certificate, ...extra });
}
const accept = (kind: CertificateKind, name: string, extra?: { privateKey?: string; now?: Date }) => valueOf(upload(kind, testCert(name), extra));
const refuse = (kind: CertificateKind, name: string, extra?: { privateKey?: string; now?: Date }) => problemOf(upload(kind, testCert(name), extra));

describe("kind ca", () => {
  it("accepts a root CA in PEM or DER, without warnings or key", () => {
    for (const name of ["root-ca.pem", "root-ca.der"]) {
      expect(accept("ca", name)).toMatchObject({ privateKeyPem: null, warnings: [] });
    }
  });

  it("accepts a bundle of CAs that ends in a self-signed root", () => {
    const result = accept("ca", "ca-bundle.pem");
    expect(result.certificates).toHaveLength(2);
    expect(result.warnings).toEqual([]);
  });

  it("accepts an intermediate alone, warning that the root is missing", () => {
    expect(accept("ca", "intermediate-ca.pem").warnings).toEqual([expect.stringMatching(/no self-signed root.*add the root/)]);
  });

  it("accepts EC P-384, Ed25519 and RSA-PSS CAs", () => {
    for (const name of ["pki-p384-ca.pem", "pki-ed25519-ca.pem", "pki-rsapss-ca.pem"]) expect(accept("ca", name).certificates).toHaveLength(1);
  });

  it("refuses a client certificate (not_a_ca), pointing to the Client certificate type", () => {
    const problem = refuse("ca", "client.pem");
    expect(problem).toMatchObject({ field: "certificate", code: "not_a_ca", status: 422 });
    expect(problem.message).toMatch(/is not a CA.*upload this one as a Client certificate/);
  });

  it("refuses a bundle with a leaf in it, naming which certificate", () => {
    const problem = problemOf(upload("ca", testCertText("root-ca.pem") + testCertText("client.pem")));
    expect(problem.code).toBe("not_a_ca");
    expect(problem.message).toMatch(/^Certificate 2 of 2 \(CN=client-one,O=Test Corp\) is not a CA/);
  });

  it("refuses certificates outside their validity", () => {
    const expired = refuse("ca", "pki-expired-ca.pem");
    expect(expired).toMatchObject({ code: "expired" });
    expect(expired.message).toBe("This certificate expired on 2021-01-01; upload a current one.");
    expect(refuse("ca", "root-ca.pem", { now: new Date("2000-01-01T00:00:00Z") }).code).toBe("not_yet_valid");
    expect(refuse("ca", "root-ca.pem", { now: new Date("2100-01-01T00:00:00Z") }).code).toBe("expired");
  });

  it("refuses weak and unsupported keys", () => {
    const weak = refuse("ca", "pki-rsa1024-ca.pem");
    expect(weak.code).toBe("weak_key");
    expect(weak.message).toMatch(/1024-bit RSA key.*re-issue it with RSA 2048/);
    const unsupported = refuse("ca", "pki-secp256k1-ca.pem");
    expect(unsupported.code).toBe("unsupported_key");
    expect(unsupported.message).toMatch(/EC secp256k1.*EC P-256/);
  });

  it("refuses a private key, in the file or in the key field", () => {
    expect(refuse("ca", "pki-client-with-key.pem").code).toBe("private_key_in_certificate");
    expect(refuse("ca", "root-ca.pem", { privateKey: testCertText("root-ca.key") })).toMatchObject({ field: "privateKey", code: "unexpected_private_key" });
  });

  it("refuses a CSR", () => {
    expect(refuse("ca", "pki-request.pem").code).toBe("csr");
  });

  it("warns when a certificate expires within 30 days", () => {
    const { notAfter } = accept("ca", "root-ca.pem").certificates[0].details;
    const { warnings } = accept("ca", "root-ca.pem", { now: new Date(notAfter.getTime() - 10 * DAY_MS) });
    expect(warnings).toEqual([expect.stringMatching(/expires on \d{4}-\d\d-\d\d \(in 10 days\); plan its renewal/)]);
    expect(accept("ca", "root-ca.pem", { now: new Date(notAfter.getTime() - 31 * DAY_MS) }).warnings).toEqual([]);
  });

  it("does not warn about SHA-1 on a self-signed root, whose signature nobody checks", () => {
    expect(accept("ca", "pki-sha1-ca.pem").warnings).toEqual([]);
  });
});

describe("kind client", () => {
  it("accepts a client certificate with clientAuth, including a self-signed one", () => {
    expect(accept("client", "client.pem")).toMatchObject({ privateKeyPem: null, warnings: [] });
    expect(accept("client", "self-signed-client.pem").certificates).toHaveLength(1);
  });

  it("refuses a CA (ca_as_client), pointing to the CA type", () => {
    const problem = refuse("client", "root-ca.pem");
    expect(problem.code).toBe("ca_as_client");
    expect(problem.message).toMatch(/upload it as a CA certificate/);
  });

  it("takes a self-signed CA:TRUE clientAuth certificate (openssl req -x509's default) only as a user's binding, never a CA that issues", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-policy-"));
    const made = path.join(dir, "bot.crt");
    // Exactly the README's line: OpenSSL 3 marks it basicConstraints CA:TRUE.
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", "/CN=ci-bot",
      "-addext", "extendedKeyUsage=clientAuth", "-keyout", path.join(dir, "bot.key"), "-out", made]);
    const certificate = fs.readFileSync(made);
    expect(problemOf(validateUpload({ kind: "client", certificate })).code).toBe("ca_as_client");
    expect(valueOf(validateUpload({ kind: "client", certificate, boundToUser: true })).certificates[0].details.isCA).toBe(true);
    // An issuing CA (not self-signed) stays refused.
    expect(problemOf(validateUpload({ kind: "client", certificate: testCert("intermediate-ca.pem"), boundToUser: true })).code).toBe("ca_as_client");
  });

  it("refuses a certificate without clientAuth in its extended key usage", () => {
    for (const name of ["client-noeku.pem", "client-serveronly.pem"]) {
      const problem = refuse("client", name);
      expect(problem.code).toBe("missing_client_auth_eku");
      expect(problem.message).toMatch(/'TLS Web Client Authentication'.*\(id-kp-clientAuth\).*clientAuth\.$/);
    }
  });

  it("refuses more than one certificate", () => {
    const problem = refuse("client", "client-of-intermediate-chain.pem");
    expect(problem.code).toBe("too_many_certificates");
    expect(problem.message).toMatch(/exactly one/);
  });

  it("refuses expired and not-yet-valid certificates, with the date", () => {
    expect(refuse("client", "client-expired.pem").message).toMatch(/expired on 2021-01-01; upload a current one/);
    const future = refuse("client", "client-future.pem");
    expect(future.code).toBe("not_yet_valid");
    expect(future.message).toMatch(/not valid until 2099-01-01 00:00 UTC/);
  });

  it("refuses a weak key and a private key", () => {
    expect(refuse("client", "pki-rsa1024-client.pem").code).toBe("weak_key");
    expect(refuse("client", "pki-client-with-key.pem").code).toBe("private_key_in_certificate");
  });

  it("warns about a SHA-1 signature and about near expiry", () => {
    expect(accept("client", "pki-sha1-client.pem").warnings).toEqual([expect.stringMatching(/signed with SHA-1.*SHA-256/)]);
    expect(accept("client", "pki-expiring-client.pem").warnings).toEqual([expect.stringMatching(/in (9|10) days/)]);
  });
});

describe("kind server: the certificate", () => {
  const key = testCertText("server.key");

  it("accepts a server certificate, and one without any EKU", () => {
    expect(accept("server", "server.pem", { privateKey: key }).warnings).toEqual([]);
    expect(accept("server", "pki-server-noeku.pem", { privateKey: key }).certificates).toHaveLength(1);
  });

  it("refuses an EKU without serverAuth", () => {
    const problem = refuse("server", "pki-server-clientonly.pem", { privateKey: key });
    expect(problem.code).toBe("missing_server_auth_eku");
    expect(problem.message).toMatch(/id-kp-serverAuth/);
  });

  it("refuses an expired server certificate", () => {
    expect(refuse("server", "pki-expired-server.pem", { privateKey: testCertText("pki-expired-server.key") }).code).toBe("expired");
  });

  it("accepts an expired certificate further up the chain, with warnings", () => {
    const result = valueOf(upload("server", testCertText("server.pem") + testCertText("pki-expired-ca.pem"), { privateKey: key }));
    expect(result.certificates).toHaveLength(2);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Certificate 2 of 2 \(O=Test Corp,CN=pki expired CA\) expired on 2021-01-01/),
      expect.stringMatching(/Certificate 2 of 2 did not issue certificate 1; order the chain/),
    ]);
  });

  it("tells where the key belongs when the certificate file also holds it", () => {
    const problem = refuse("server", "pki-client-with-key.pem", { privateKey: key });
    expect(problem.code).toBe("private_key_in_certificate");
    expect(problem.message).toMatch(/Private key field/);
  });
});
