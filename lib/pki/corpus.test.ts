// Inputs nobody here wrote: BoringSSL, pyca and x509-limbo test certificates
// (test/corpora/x509-malformed/README.md). Every one must get a typed answer, quickly,
// and the ones a strict parser rejects must be rejected because of the certificate itself.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeCertificates, validateUpload, type PkiResult } from "./index";
import { opensslX509, problemOf, valueOf } from "../../test/pki";

const CORPUS = path.resolve(__dirname, "../../test/corpora/x509-malformed");

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [path.relative(CORPUS, full)];
  });
}

const files = listFiles(CORPUS).sort();
const read = (file: string) => fs.readFileSync(path.join(CORPUS, file));
/** The first CERTIFICATE block alone, without the prose and the ERRORS block around it. */
const certificateBlock = (file: string) => /^-----BEGIN CERTIFICATE-----$[\s\S]*?^-----END CERTIFICATE-----$/m.exec(read(file).toString("latin1"))?.[0];

function expectTyped(result: PkiResult<unknown>): void {
  expect(typeof result.ok).toBe("boolean");
  if (!result.ok) {
    expect(result.problem.code).toMatch(/^[a-z_]+$/);
    expect(result.problem.message).toMatch(/^[A-Z].*;.*\.$/);
  }
}

it("finds the corpus", () => {
  expect(files.length).toBeGreaterThan(40);
});

describe("every corpus file gets a typed answer in under 1 s", () => {
  it.each(files)("%s", (file) => {
    const inputs = [read(file), certificateBlock(file)].filter((input) => input !== undefined);
    for (const input of inputs) {
      const started = performance.now();
      expectTyped(decodeCertificates(input));
      expectTyped(validateUpload({ kind: "ca", certificate: input }));
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe("rejected for the certificate's own defects", () => {
  const boringErrors = files.filter((f) => /^boringssl\/pcu_/.test(f) && /^ERROR:/m.test(read(f).toString("latin1")));
  const malformedByName = files.filter((f) => /^boringssl\/x509_(trailing_data|invalid_extension)_/.test(f));

  it("has the expected cases", () => {
    expect(boringErrors.length).toBeGreaterThanOrEqual(20);
    expect(malformedByName).toHaveLength(4);
  });

  it.each([...boringErrors, ...malformedByName])("%s", (file) => {
    problemOf(decodeCertificates(read(file)));
    // The whole file also fails on its ERRORS block; the certificate alone must fail too.
    const problem = problemOf(decodeCertificates(certificateBlock(file)!));
    expect(problem.code).toBe("malformed");
    expect(problem.message).toMatch(/^This certificate is not a well-formed X\.509 certificate \(.+\); export it again/);
  });
});

describe("accepted corpus certificates", () => {
  const accepted = files.filter((f) => certificateBlock(f) && decodeCertificates(certificateBlock(f)!).ok);

  it("are the odd but well-formed ones", () => {
    expect(accepted).toEqual([
      "boringssl/pcu_bad_signature_algorithm_oid.pem", // unknown signature OID 0.0: parseable, never verifies
      "boringssl/pcu_cert_version3.pem",
      "boringssl/pcu_serial_37_bytes.pem", // BoringSSL: warning only
      "boringssl/pcu_serial_negative.pem", // BoringSSL: warning only
      "boringssl/pcu_serial_zero.pem", // BoringSSL: warning only
      "boringssl/pcu_serial_zero_padded.pem",
      "boringssl/pcu_subject_t61string.pem",
      "boringssl/x509_many_constraints.pem",
      "boringssl/x509_many_names1.pem",
      "boringssl/x509_pss_sha256_salt_overflow.pem", // bad PSS parameters only fail verification
      "boringssl/x509_pss_sha256_unknown_mgf.pem",
      "boringssl/x509_unusual_tbs_critical_false_not_omitted.pem", // DEFAULT written out: BER, harmless
      "boringssl/x509_unusual_tbs_null_sigalg_param.pem",
      "boringssl/x509_unusual_tbs_uid_both.pem",
      "boringssl/x509_unusual_tbs_v1_not_omitted.pem",
      "boringssl/x509_unusual_tbs_wrong_attribute_order.pem", // SET OF order is not checked
      "limbo/explicit_curve_leaf.pem", // decodes; refused by key policy (below)
      "limbo/negative_serial.pem",
    ]);
  });

  it.each(accepted)("%s reads the same as openssl (serial with its sign, fingerprint, dates)", (file) => {
    const [cert] = valueOf(decodeCertificates(certificateBlock(file)!));
    const reference = opensslX509(path.join(CORPUS, file));
    expect(cert.details.serialNumber).toBe(reference.serial);
    expect(cert.details.fingerprintSha256).toBe(reference.fingerprint);
    expect(cert.details.notBefore).toEqual(reference.notBefore);
    expect(cert.details.notAfter).toEqual(reference.notAfter);
  });

  it("keeps the sign of a negative serial (which @peculiar/x509 drops)", () => {
    const [cert] = valueOf(decodeCertificates(read("limbo/negative_serial.pem")));
    expect(cert.details.serialNumber).toBe("-04316693ED");
  });

  it("refuses a key with explicit curve parameters on upload", () => {
    const block = certificateBlock("limbo/explicit_curve_leaf.pem")!;
    expect(valueOf(decodeCertificates(block))[0].details.keyAlgorithm).toBe("EC (explicit parameters)");
    const problem = problemOf(validateUpload({ kind: "server", certificate: block, privateKey: null, now: new Date("2024-06-01T00:00:00Z") }));
    expect(problem.code).toBe("unsupported_key");
  });
});
