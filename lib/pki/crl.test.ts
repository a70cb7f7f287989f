import { X509Certificate, createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RevokedSerials, decodeCrlInput, validateCrl } from "./crl";
import { describeCertificateDer } from "./details";
import { parseCrl } from "./parse-crl";
import { normalizeSerial } from "./serial";
import type { CrlInput } from "./types";
import { crlFile, ensureCertSection, testCert } from "../../test/certs";
import { buildCrl, children, contentOf, extension, integer, seq, tlv } from "../../test/crl-builder";
import { openssl, problemOf, valueOf } from "../../test/pki";

const dir = ensureCertSection("crl", "crl-done");
const der = (name: string) => Buffer.from(new X509Certificate(testCert(name)).raw);
const rootCa = der("root-ca.pem");
const otherCa = der("other-ca.pem");
const fingerprint = (certDer: Buffer) => createHash("sha256").update(certDer).digest("hex");
const serialOf = (name: string) => describeCertificateDer(der(name)).serialNumber;
const now = new Date();

/** What `openssl crl -text -noout` printed for a generated CRL (crl-NAME.txt), plus its RFC 2253 issuer. */
function opensslCrl(name: string) {
  const text = crlFile(`${name}.txt`).toString("utf8");
  const date = (label: string) => {
    const m = new RegExp(`${label}: (.+ GMT)`).exec(text);
    return m ? new Date(m[1]) : null;
  };
  return {
    issuer: openssl(["crl", "-in", `${dir}/${name}.pem`, "-noout", "-issuer", "-nameopt", "RFC2253"]).replace(/^issuer=/, ""),
    thisUpdate: date("Last Update"),
    nextUpdate: date("Next Update"),
    serials: [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]),
    crlNumber: /CRL Number: *\n *(\d+)/.exec(text)?.[1] ?? null,
  };
}

const validate = (crl: Uint8Array | string, issuers: Uint8Array[] = [rootCa], at: Date = now) => validateCrl({ crl, issuers, now: at } satisfies CrlInput);

describe("CRLs made by openssl ca -gencrl", () => {
  const cases = [
    { name: "crl-root-empty", ca: "root-ca.pem", revoked: [] as string[] },
    { name: "crl-root-1", ca: "root-ca.pem", revoked: ["client.pem"] },
    { name: "crl-root-2", ca: "root-ca.pem", revoked: ["client.pem", "client-two.pem"] },
    { name: "crl-other", ca: "other-ca.pem", revoked: ["client.pem"] },
    { name: "crl-ed25519", ca: "pki-ed25519-ca.pem", revoked: ["client.pem"] },
    { name: "crl-rsapss", ca: "pki-rsapss-ca.pem", revoked: ["client.pem"] },
  ];
  for (const { name, ca, revoked } of cases) {
    it(`${name}: reads what openssl reads, and verifies with ${ca}`, () => {
      const reference = opensslCrl(name);
      const parsed = parseCrl(decodeCrlInput(crlFile(`${name}.pem`)));
      expect(parsed.issuer).toBe(reference.issuer);
      expect(parsed.thisUpdate).toEqual(reference.thisUpdate);
      expect(parsed.nextUpdate).toEqual(reference.nextUpdate);
      expect(parsed.revoked.map((e) => e.serialNumber)).toEqual(reference.serials);
      expect(parsed.crlNumber).toBe(reference.crlNumber);
      // The serials are the revoked certificates' own, in CertificateDetails.serialNumber's form.
      expect(parsed.revoked.map((e) => e.serialNumber)).toEqual(revoked.map(serialOf));

      const accepted = valueOf(validate(crlFile(`${name}.pem`), [der(ca)]));
      expect(accepted.details).toMatchObject({
        issuer: reference.issuer,
        thisUpdate: reference.thisUpdate,
        nextUpdate: reference.nextUpdate,
        revokedCount: revoked.length,
        crlNumber: reference.crlNumber,
        issuerFingerprintSha256: fingerprint(der(ca)),
      });
      expect(accepted.pem).toBe(crlFile(`${name}.pem`).toString("utf8"));
    });
  }

  it("reads the DER copy (openssl crl -outform DER) as the same CRL", () => {
    const fromDer = valueOf(validate(crlFile("crl-root-2.der")));
    const fromPem = valueOf(validate(crlFile("crl-root-2.pem")));
    expect(fromDer.der.equals(crlFile("crl-root-2.der"))).toBe(true);
    expect(fromDer.details).toEqual(fromPem.details);
    expect(fromDer.details.signatureAlgorithm).toBe("ECDSA with SHA-256");
  });

  it("reads base64 of the DER (a JSON field) and PEM with CRLF line ends and text around it as the same CRL", () => {
    const reference = valueOf(validate(crlFile("crl-root-2.der"))).der;
    const pem = crlFile("crl-root-2.pem").toString("utf8");
    for (const input of [reference.toString("base64"), pem.replace(/\n/g, "\r\n"), `Issued by ops\n${pem}\n-- end --\n`]) {
      expect(valueOf(validate(input)).der.equals(reference)).toBe(true);
    }
  });

  it("numbers successive CRLs as openssl did, the newest highest", () => {
    const numbers = ["crl-root-empty", "crl-root-1", "crl-root-2"].map((n) => Number(valueOf(validate(crlFile(`${n}.pem`))).details.crlNumber));
    expect(numbers).toEqual([1, 2, 3]);
  });

  it("finds the signing CA in a bundle and names it by fingerprint", () => {
    const details = valueOf(validate(crlFile("crl-root-1.pem"), [otherCa, der("intermediate-ca.pem"), rootCa])).details;
    expect(details.issuerFingerprintSha256).toBe(fingerprint(rootCa));
  });

  it("names the RSA-PSS and Ed25519 signature algorithms", () => {
    expect(valueOf(validate(crlFile("crl-rsapss.pem"), [der("pki-rsapss-ca.pem")])).details.signatureAlgorithm).toBe("RSA-PSS");
    expect(valueOf(validate(crlFile("crl-ed25519.pem"), [der("pki-ed25519-ca.pem")])).details.signatureAlgorithm).toBe("Ed25519");
  });
});

describe("validateCrl: refusals", () => {
  it("refuses a CRL signed by another CA, naming the CRL's issuer", () => {
    const problem = problemOf(validate(crlFile("crl-other.pem"), [rootCa]));
    expect(problem).toMatchObject({ field: "crl", code: "wrong_issuer", status: 422 });
    expect(problem.message).toContain("This CRL is signed by CN=Other Root CA,O=Other Corp, not by this CA (CN=Test Root CA,O=Test Corp)");
    expect(problemOf(validate(crlFile("crl-root-1.pem"), [otherCa])).code).toBe("wrong_issuer");
  });

  it("refuses a CRL whose issuer name matches but whose signature is another key's", () => {
    // Same subject as the root, a different key.
    const problem = problemOf(validate(crlFile("crl-root-1.pem"), [der("pki-root-namesake.pem")]));
    expect(problem.code).toBe("bad_signature");
    expect(problem.message).toMatch(/does not verify with that CA's key/);
  });

  it("refuses a CRL altered after signing", () => {
    const altered = Buffer.from(crlFile("crl-root-2.der"));
    // The last byte of the last revoked serial: still well-formed, no longer what the CA signed.
    const serial = Buffer.from(serialOf("client-two.pem"), "hex");
    const at = altered.indexOf(serial) + serial.length - 1;
    altered[at] ^= 0x01;
    expect(problemOf(validate(altered)).code).toBe("bad_signature");
  });

  it("refuses a CRL from the future, and allows a few minutes of clock skew", () => {
    const problem = problemOf(validate(crlFile("crl-root-1.pem"), [rootCa], new Date("2020-01-01T00:00:00Z")));
    expect(problem.code).toBe("from_the_future");
    expect(problem.message).toMatch(/thisUpdate \(.*\) is in the future; check the clock/);
    const ahead = (ms: number) =>
      buildCrl({ caCertificate: testCert("root-ca.pem"), caKey: testCert("root-ca.key"), thisUpdate: new Date(now.getTime() + ms), serials: [1n] });
    expect(problemOf(validate(ahead(24 * 3600 * 1000))).code).toBe("from_the_future");
    expect(valueOf(validate(ahead(60 * 1000))).details.revokedCount).toBe(1);
  });

  it("accepts a CRL past its next update (the console flags it)", () => {
    const details = valueOf(validate(crlFile("crl-root-1.pem"), [rootCa], new Date(now.getTime() + 365 * 24 * 3600 * 1000))).details;
    expect(details.nextUpdate!.getTime()).toBeLessThan(now.getTime() + 365 * 24 * 3600 * 1000);
  });

  const rootCrl = crlFile("crl-root-2.der");
  const armour = (bytes: Buffer) => `-----BEGIN X509 CRL-----\n${bytes.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`;

  it("refuses truncated input, as DER and as PEM", () => {
    for (const input of [rootCrl.subarray(0, rootCrl.length - 10), armour(rootCrl.subarray(0, 100))]) {
      const problem = problemOf(validate(input));
      expect(problem.code).toBe("truncated");
      expect(problem.message).toMatch(/The CRL is cut off \(.*\); upload the complete file\./);
    }
    expect(problemOf(validate(crlFile("crl-root-2.pem").toString().slice(0, 200))).code).toBe("truncated"); // no END line
  });

  it("refuses data after the CRL, as DER and as PEM", () => {
    const padded = Buffer.concat([rootCrl, Buffer.from("junk")]);
    for (const input of [padded, armour(padded)]) {
      const problem = problemOf(validate(input));
      expect(problem.code).toBe("trailing_data");
      expect(problem.message).toMatch(/4 bytes after its end.*nothing appended/);
    }
  });

  it("refuses wrong tags and non-DER lengths inside the CRL", () => {
    const thisUpdateAt = rootCrl.indexOf(Buffer.from([0x17, 0x0d])); // the first UTCTime
    const wrongTag = Buffer.from(rootCrl);
    wrongTag[thisUpdateAt] = 0x04;
    const problem = problemOf(validate(wrongTag));
    expect(problem.code).toBe("malformed");
    expect(problem.message).toMatch(/^The file is not a well-formed X\.509 CRL \(thisUpdate .*\); export it again/);
    // thisUpdate with a long-form length (0x81 0x0d), which DER forbids; the containers re-wrapped.
    const [tbs, algorithm, signature] = children(contentOf(rootCrl));
    const fields = children(contentOf(tbs));
    fields[3] = Buffer.concat([Buffer.from([0x17, 0x81]), fields[3].subarray(1)]);
    const longLength = problemOf(validate(seq(seq(...fields), algorithm, signature)));
    expect(longLength.code).toBe("malformed");
    expect(longLength.message).toMatch(/non-minimal length/);
    // An indefinite length on the outer SEQUENCE.
    const indefinite = Buffer.concat([Buffer.from([0x30, 0x80]), rootCrl.subarray(4), Buffer.from([0, 0])]);
    expect(problemOf(validate(indefinite)).message).toMatch(/indefinite length/);
  });

  it("refuses what is not a CRL: a certificate (PEM and DER), a key, text, nothing, two CRLs", () => {
    for (const input of [testCert("client.pem"), der("client.pem"), testCert("client.key"), "hello", Buffer.from([1, 2, 3])]) {
      const problem = problemOf(validate(input));
      expect(problem.code).toBe("not_a_crl");
      expect(problem.message).toMatch(/CRL/);
    }
    expect(problemOf(validate(der("client.pem"))).message).toMatch(/is a certificate, not a CRL/);
    expect(problemOf(validate(""))).toMatchObject({ code: "empty" });
    expect(problemOf(validate(Buffer.alloc(0)))).toMatchObject({ code: "empty" });
    const two = `${crlFile("crl-root-1.pem")}${crlFile("crl-root-2.pem")}`;
    expect(problemOf(validate(two))).toMatchObject({ code: "too_many_blocks" });
  });

  const built = (extensions: Buffer) =>
    buildCrl({ caCertificate: testCert("root-ca.pem"), caKey: testCert("root-ca.key"), thisUpdate: now, serials: [5n], extensions });

  it("refuses a critical extension it does not understand, and accepts an unknown non-critical one", () => {
    const unknown = (critical: boolean) => seq(extension("2a0304", critical, tlv(0x05)), extension("551d14", false, integer(7n)));
    const problem = problemOf(validate(built(unknown(true))));
    expect(problem.code).toBe("unsupported_critical_extension");
    expect(problem.message).toContain("(1.2.3.4)");
    expect(valueOf(validate(built(unknown(false)))).details.crlNumber).toBe("7");
  });

  it("refuses delta and indirect CRLs, and a duplicated extension", () => {
    expect(problemOf(validate(built(seq(extension("551d1b", true, integer(1n))))))).toMatchObject({ code: "delta_crl" });
    const indirectIdp = seq(tlv(0x84, Buffer.from([0xff])));
    expect(problemOf(validate(built(seq(extension("551d1c", true, indirectIdp)))))).toMatchObject({ code: "indirect_crl" });
    const twice = seq(extension("551d14", false, integer(1n)), extension("551d14", false, integer(2n)));
    expect(problemOf(validate(built(twice))).message).toMatch(/appears more than once/);
  });
});

describe("revoked certificate entries", () => {
  const at = tlv(0x17, Buffer.from("260101000000Z"));
  const withEntry = (entry: Buffer) =>
    validate(buildCrl({ caCertificate: testCert("root-ca.pem"), caKey: testCert("root-ca.key"), thisUpdate: now, serials: [1n], rawEntries: [entry] }));

  it("accepts an entry with a reason code and reads its serial", () => {
    const reason = seq(extension("551d15", false, tlv(0x0a, Buffer.from([1]))));
    expect(valueOf(withEntry(seq(integer(0x42n), at, reason))).details.revokedCount).toBe(2);
  });

  it("refuses an entry with an unknown critical extension, or naming another issuer (indirect CRL)", () => {
    const unknown = problemOf(withEntry(seq(integer(0x42n), at, seq(extension("2a0304", true, tlv(0x05))))));
    expect(unknown.code).toBe("unsupported_critical_extension");
    expect(unknown.message).toContain("the entry for serial 42");
    const certificateIssuer = seq(extension("551d1d", true, seq(tlv(0x82, Buffer.from("example.com")))));
    expect(problemOf(withEntry(seq(integer(0x42n), at, certificateIssuer))).code).toBe("indirect_crl");
  });

  it("refuses broken entries: a serial of the wrong type, a bad date, extra fields, a cut entry", () => {
    const cases: [Buffer, RegExp][] = [
      [seq(tlv(0x04, Buffer.from([0x42])), at), /serial number of a revoked certificate is missing or has the wrong type/],
      [seq(integer(0x42n), tlv(0x17, Buffer.from("261301000000Z"))), /revocation date of serial 42 is not a real date/],
      [seq(integer(0x42n), at, tlv(0x05)), /entry for serial 42 has unexpected data/],
      [seq(integer(0x42n)), /revocation date of serial 42 is missing/],
      [seq(tlv(0x02, Buffer.from([0x00, 0x42])), at), /not a minimally encoded INTEGER/],
    ];
    for (const [entry, message] of cases) {
      const problem = problemOf(withEntry(entry));
      expect(problem.code).toBe("malformed");
      expect(problem.message).toMatch(message);
    }
  });
});

describe("RevokedSerials", () => {
  it("finds the revoked clients of each CRL and no others", () => {
    const first = RevokedSerials.fromDer(decodeCrlInput(crlFile("crl-root-1.pem")));
    const second = RevokedSerials.fromDer(decodeCrlInput(crlFile("crl-root-2.pem")));
    const empty = RevokedSerials.fromDer(decodeCrlInput(crlFile("crl-root-empty.pem")));
    expect([first.has(serialOf("client.pem")), first.has(serialOf("client-two.pem"))]).toEqual([true, false]);
    expect([second.has(serialOf("client.pem")), second.has(serialOf("client-two.pem"))]).toEqual([true, true]);
    expect(empty.size).toBe(0);
    // Node's own spelling of the serial, as a TLS peer certificate carries it.
    expect(second.has(new X509Certificate(testCert("client-two.pem")).serialNumber)).toBe(true);
  });

  it("formats CRL serials as certificates' serials are formatted, sign bit and zero included", () => {
    const crl = buildCrl({ caCertificate: testCert("root-ca.pem"), caKey: testCert("root-ca.key"), thisUpdate: now, serials: [0x80n, 0xff00n, 1n, 0n, 0x0a1bn] });
    expect(parseCrl(crl).revoked.map((e) => e.serialNumber)).toEqual(["80", "FF00", "01", "00", "0A1B"]);
    const revoked = RevokedSerials.fromDer(crl);
    expect(["0080", "ff00", "1", "0", "a1b"].map((s) => revoked.has(s))).toEqual([true, true, true, true, true]);
  });

  it("normalizes any hex spelling of a serial", () => {
    expect(normalizeSerial("a")).toBe("0A");
    expect(normalizeSerial("0a:1b")).toBe("0A1B");
    expect(normalizeSerial("000080")).toBe("80");
    expect(normalizeSerial("0")).toBe("00");
    expect(normalizeSerial("-0a")).toBe("-0A");
  });

  it("parses a 100,000-entry CRL, checks its signature, and looks serials up in constant time", () => {
    const serials = Array.from({ length: 100_000 }, (_, i) => (BigInt(i + 1) << 64n) | 0x1234n);
    const crl = buildCrl({ caCertificate: testCert("root-ca.pem"), caKey: testCert("root-ca.key"), thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), serials });

    let start = performance.now();
    const details = valueOf(validate(crl)).details;
    const validateMs = performance.now() - start;
    start = performance.now();
    const revoked = RevokedSerials.fromDer(crl);
    const buildMs = performance.now() - start;
    // Lowercase, as a peer might spell them: has() normalizes each one, as the handshake will.
    const queries = serials.map((serial) => serial.toString(16));
    start = performance.now();
    let hits = 0;
    for (const query of queries) if (revoked.has(query)) hits++;
    const lookupUs = ((performance.now() - start) * 1000) / queries.length;
    console.log(`100,000-entry CRL (${crl.length} bytes): validate ${validateMs.toFixed(0)} ms, parse into RevokedSerials ${buildMs.toFixed(0)} ms, lookup ${lookupUs.toFixed(2)} µs each`);

    expect(details.revokedCount).toBe(100_000);
    expect(revoked.size).toBe(100_000);
    expect(hits).toBe(100_000);
    expect(revoked.has("1234")).toBe(false);
    expect(revoked.has(serialOf("client.pem"))).toBe(false);
    // Generous bounds for a loaded 2-core machine; typical figures are in the log line above.
    expect(validateMs).toBeLessThan(10_000);
    expect(lookupUs).toBeLessThan(20);
  });
});
