// Certificates made on the spot with the openssl CLI, for tests that need many of them.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A self-signed client certificate (EKU clientAuth unless `extendedKeyUsage` says otherwise) and its
 * key; returns the PEM file path (the key is client.key beside it).
 */
export function makeClientCertificate(commonName: string, days = 30, extendedKeyUsage = "clientAuth"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-e2e-"));
  const cert = path.join(dir, "client.pem");
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", path.join(dir, "client.key"), "-out", cert, "-days", String(days),
      "-subj", `/CN=${commonName}`,
      "-addext", "basicConstraints=CA:FALSE", "-addext", "keyUsage=critical,digitalSignature", "-addext", `extendedKeyUsage=${extendedKeyUsage}`,
    ],
    { stdio: "ignore" },
  );
  return cert;
}

/** A fresh self-signed CA (P-256), written as PEM and DER; no other test uploads the same one. */
export function makeCaCertificate(commonName: string): { pem: string; der: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-e2e-"));
  const pem = path.join(dir, "ca.pem");
  const der = path.join(dir, "ca.der");
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", path.join(dir, "ca.key"), "-out", pem, "-days", "365", "-subj", `/O=Test Corp/CN=${commonName}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ],
    { stdio: "ignore" },
  );
  execFileSync("openssl", ["x509", "-in", pem, "-outform", "DER", "-out", der], { stdio: "ignore" });
  return { pem, der };
}
