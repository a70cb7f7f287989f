import { X509Certificate, createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BUNDLE_CERTIFICATES, MAX_CERTIFICATE_BYTES, decodeCertificates } from "./index";
import { testCert, testCertText } from "../../test/certs";
import { problemOf, valueOf } from "../../test/pki";

const rootDer = testCert("root-ca.der");
const rootPem = testCertText("root-ca.pem");
const rootFingerprint = createHash("sha256").update(rootDer).digest("hex");

describe("decodeCertificates: accepted forms", () => {
  const forms: Record<string, Uint8Array | string> = {
    "PEM file bytes": testCert("root-ca.pem"),
    "PEM text": rootPem,
    "PEM with CRLF line ends": rootPem.replace(/\n/g, "\r\n"),
    "PEM with text around the block": `Subject: Test Root CA\nIssued by ops\n\n${rootPem}\n-- end of mail --\n`,
    "PEM pasted onto one line": rootPem.replace(/\n/g, " "),
    "PEM saved as UTF-16 by PowerShell": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rootPem, "utf16le")]),
    "DER bytes": rootDer,
    "base64 of DER (JSON field)": rootDer.toString("base64"),
    "base64 of DER wrapped at 64 columns": rootDer.toString("base64").replace(/.{64}/g, "$&\n"),
    "a file holding base64 of DER": Buffer.from(rootDer.toString("base64")),
  };
  for (const [name, input] of Object.entries(forms)) {
    it(`reads ${name} as the same certificate`, () => {
      const [cert, ...rest] = valueOf(decodeCertificates(input));
      expect(rest).toEqual([]);
      expect(cert.der.equals(rootDer)).toBe(true);
      expect(cert.details.fingerprintSha256).toBe(rootFingerprint);
      expect(cert.details.subject).toBe("CN=Test Root CA,O=Test Corp");
    });
  }

  it("returns every certificate of a bundle, in file order, with canonical PEM", () => {
    const certs = valueOf(decodeCertificates(testCert("ca-bundle.pem")));
    expect(certs.map((c) => c.details.subject)).toEqual(["CN=Test Intermediate CA,O=Test Corp", "CN=Test Root CA,O=Test Corp"]);
    expect(certs.map((c) => c.pem).join("")).toBe(testCertText("ca-bundle.pem"));
  });

  it(`takes a bundle of exactly ${MAX_BUNDLE_CERTIFICATES} certificates`, () => {
    expect(valueOf(decodeCertificates(rootPem.repeat(MAX_BUNDLE_CERTIFICATES)))).toHaveLength(MAX_BUNDLE_CERTIFICATES);
  });
});

describe("decodeCertificates: rejections", () => {
  const reject = (input: Uint8Array | string) => problemOf(decodeCertificates(input));

  it("rejects empty input", () => {
    for (const input of [Buffer.alloc(0), "", " \r\n\t"]) {
      expect(reject(input)).toMatchObject({ field: "certificate", code: "empty", status: 422 });
    }
  });

  it("rejects bytes that are neither PEM, DER nor base64 of DER", () => {
    for (const input of ["hello, world", "aGVsbG8=", Buffer.from([0x01, 0x02, 0x00, 0xff]), "-----BEGIN CERTIFICATE"]) {
      const problem = reject(input);
      expect(problem.code).toBe("not_a_certificate");
      expect(problem.message).toMatch(/upload the certificate file/);
    }
  });

  it("rejects truncated DER and a PEM block without its END line", () => {
    const cut = reject(rootDer.subarray(0, rootDer.length - 20));
    expect(cut.code).toBe("truncated");
    expect(cut.message).toMatch(/complete file/);
    expect(reject(rootPem.slice(0, rootPem.indexOf("-----END"))).code).toBe("truncated");
  });

  it("rejects bytes after the DER, in every form (a pin of those bytes would never match a peer)", () => {
    const padded = Buffer.concat([rootDer, Buffer.from([0x00, 0x00, 0x05])]);
    const armoured = `-----BEGIN CERTIFICATE-----\n${padded.toString("base64")}\n-----END CERTIFICATE-----\n`;
    for (const input of [padded, padded.toString("base64"), armoured]) {
      const problem = reject(input);
      expect(problem.code).toBe("trailing_data");
      expect(problem.message).toMatch(/3 bytes after its end.*nothing appended/);
    }
  });

  it("rejects a certificate signing request, in PEM and in DER", () => {
    const csr = testCertText("pki-request.pem");
    const csrDer = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ""), "base64");
    for (const input of [csr, csrDer]) {
      const problem = reject(input);
      expect(problem.code).toBe("csr");
      expect(problem.message).toMatch(/certificate your CA issued/);
    }
  });

  it("rejects a private key in any PEM form, alone or beside the certificate", () => {
    for (const name of ["client.key", "pki-rsa-server.pkcs1.key", "pki-server.sec1.key", "pki-server.enc.key", "pki-client-with-key.pem"]) {
      const problem = reject(testCert(name));
      expect(problem.code, name).toBe("private_key_in_certificate");
      expect(problem.message).toBe("The file holds a private key; upload only the certificate.");
    }
  });

  it("rejects a DER private key", () => {
    const keyDer = Buffer.from(testCertText("client.key").replace(/-----[^-]+-----|\s/g, ""), "base64");
    expect(reject(keyDer).code).toBe("private_key_in_certificate");
  });

  it("names PKCS#12 and PKCS#7 files and how to extract the certificate", () => {
    expect(reject(testCert("pki-client.p12")).message).toMatch(/PKCS#12.*openssl pkcs12/);
    expect(reject(testCert("pki-bundle.p7b")).message).toMatch(/PKCS#7.*openssl pkcs7/);
  });

  it("rejects a PEM block with any label other than CERTIFICATE", () => {
    const publicKey = `-----BEGIN PUBLIC KEY-----\n${Buffer.from("not really").toString("base64")}\n-----END PUBLIC KEY-----\n`;
    const problem = reject(rootPem + publicKey);
    expect(problem.code).toBe("not_a_certificate");
    expect(problem.message).toContain("'PUBLIC KEY'");
  });

  it("rejects broken PEM blocks with a message about the block", () => {
    expect(reject(rootPem.replace(/^MII/m, "MII*")).message).toMatch(/not valid base64/);
    expect(reject(rootPem.replace("END CERTIFICATE", "END X509 CRL")).message).toMatch(/labels match/);
    expect(reject("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n").message).toMatch(/is empty/);
  });

  it("answers 413 above 1 MiB: file bytes, or the DER behind base64", () => {
    const bigFile = Buffer.concat([testCert("root-ca.pem"), Buffer.alloc(MAX_CERTIFICATE_BYTES, 0x20)]);
    expect(reject(bigFile)).toMatchObject({ code: "too_large", status: 413 });
    const bigBase64 = Buffer.alloc(MAX_CERTIFICATE_BYTES + 3, 0x30).toString("base64");
    expect(reject(bigBase64)).toMatchObject({ code: "too_large", status: 413 });
    // Over 1 MiB of text, but the DER it carries is small: measured by the DER, so accepted.
    const paddedBase64 = `${" ".repeat(MAX_CERTIFICATE_BYTES)}${rootDer.toString("base64")}`;
    expect(valueOf(decodeCertificates(paddedBase64))).toHaveLength(1);
  });

  it(`rejects more than ${MAX_BUNDLE_CERTIFICATES} certificates`, () => {
    const problem = reject(rootPem.repeat(MAX_BUNDLE_CERTIFICATES + 1));
    expect(problem).toMatchObject({ code: "too_many_certificates", status: 422 });
    expect(problem.message).toContain("101 certificates");
  });

  it("names the failing certificate of a bundle", () => {
    const broken = `-----BEGIN CERTIFICATE-----\n${rootDer.subarray(0, 100).toString("base64")}\n-----END CERTIFICATE-----\n`;
    expect(reject(rootPem + broken).message).toMatch(/^Certificate 2 of 2 is cut off/);
  });
});

describe("decodeCertificates never throws", () => {
  const typed = (input: Uint8Array | string) => {
    const result = decodeCertificates(input);
    if (!result.ok) {
      expect(result.problem.code).toMatch(/^[a-z_]+$/);
      expect(result.problem.message).toMatch(/^[A-Z].*;.*\.$/);
      expect([413, 422]).toContain(result.problem.status);
    }
    return result;
  };

  it("on valid certificates in any framing a tool or a paste produces, and reads them all, in order, exactly", () => {
    // Real certificates of every key type the test PKI has, framed the ways files and pastes come:
    // any base64 line width, LF/CRLF/CR or spaces between lines, indentation, prose around and
    // between the blocks, a bundle of several, as text or as UTF-8 / UTF-16 file bytes; one alone
    // also as DER or base64 of DER.
    const pool = [
      "root-ca.pem", "intermediate-ca.pem", "server.pem", "client.pem", "client-expired.pem", "self-signed-client.pem",
      "pki-ed25519-ca.pem", "pki-p384-ca.pem", "pki-rsa-server.pem", "pki-rsapss-ca.pem", "pki-secp256k1-ca.pem",
      "pki-sha1-ca.pem", "pki-names-client.pem", "pki-san-client.pem", "upload-xss-client.pem",
    ].map((name) => new X509Certificate(testCertText(name)).raw);
    const lineBreak = fc.constantFrom("\n", "\r\n", "\r", " ", "\n\n", " \t\n");
    const indent = fc.constantFrom("", " ", "  ", "\t");
    // Prose never holds '-', so it cannot make a boundary of its own; it includes non-ASCII text.
    const prose = fc.string({ unit: fc.constantFrom(..."abcXYZ019 .,:;#'\"()éü€中", "\n", "\r\n"), maxLength: 40 });
    const block = (der: Buffer) =>
      fc.tuple(fc.integer({ min: 4, max: 100 }), lineBreak, indent).map(([width, br, pad]) => {
        const lines = der.toString("base64").match(new RegExp(`.{1,${width}}`, "g"))!;
        return [`-----BEGIN CERTIFICATE-----`, ...lines, `-----END CERTIFICATE-----`].map((line) => pad + line).join(br);
      });
    const bundle = fc
      .uniqueArray(fc.nat(pool.length - 1), { minLength: 1, maxLength: 4 })
      .chain((picks) => {
        const ders = picks.map((i) => pool[i]);
        return fc.tuple(fc.constant(ders), fc.tuple(...ders.map(block)), fc.array(prose, { minLength: ders.length + 1, maxLength: ders.length + 1 }), lineBreak);
      })
      .map(([ders, blocks, around, br]) => ({ ders, text: blocks.map((b, i) => around[i] + br + b + br).join("") + around[blocks.length] }));
    const asInput = (text: string) =>
      fc.constantFrom<(t: string) => Uint8Array | string>(
        (t) => t,
        (t) => Buffer.from(t, "utf8"),
        (t) => Buffer.from(`\uFEFF${t}`, "utf8"),
        (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")]),
        (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, "utf16le").swap16()]),
      ).map((encode) => encode(text));
    const pem = bundle.chain(({ ders, text }) => fc.tuple(fc.constant(ders), asInput(text)));
    const single = fc.tuple(fc.nat(pool.length - 1), fc.integer({ min: 4, max: 100 }), lineBreak).map(([i, width, br]) => {
      const der = pool[i];
      const base64 = der.toString("base64").match(new RegExp(`.{1,${width}}`, "g"))!.join(br);
      return [[der], width % 2 ? der : base64] as [Buffer[], Uint8Array | string];
    });
    fc.assert(
      fc.property(fc.oneof(pem, single), ([ders, input]) => {
        const decoded = typed(input);
        if (!decoded.ok) expect.fail(`refused a valid input: ${decoded.problem.message}`);
        expect(decoded.value.map((c) => c.der.toString("hex"))).toEqual(ders.map((d) => d.toString("hex")));
        expect(decoded.value.map((c) => c.pem)).toEqual(ders.map((d) => new X509Certificate(d).toString()));
      }),
      { numRuns: 300 },
    );
  });

  it("on random bytes and random text", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => void typed(bytes)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 512 }), (s) => void typed(s)), { numRuns: 300 });
  });

  it("on corrupted certificates, and keeps exactly the input bytes of any it accepts", () => {
    const mutated = fc
      .tuple(fc.nat(rootDer.length - 1), fc.integer({ min: 1, max: 255 }), fc.nat(rootDer.length), fc.uint8Array({ maxLength: 8 }))
      .map(([at, xor, cut, extra]) => {
        const copy = Buffer.from(rootDer);
        copy[at] ^= xor;
        return Buffer.concat([copy.subarray(0, cut), extra]);
      });
    fc.assert(
      fc.property(mutated, (der) => {
        const result = typed(der);
        if (result.ok) expect(result.value[0].der.equals(der)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
