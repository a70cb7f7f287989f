// A small private CA made in-process with WebCrypto (ECDSA P-256), and leaf certificates it issues:
// what certgate generates on first start when the user brought no certificates of their own (the
// demo's CA and its localhost/client certificates, the API client-certificate port's server
// certificate). The CA's key is returned so a caller may keep it (sealed) and issue again later.
import "reflect-metadata";
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { toPem } from "./pem";
import { EKU } from "./oids";
import type { PemPair } from "./types";

const crypto = webcrypto as unknown as Crypto;
const EC_P256: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const HOUR_MS = 60 * 60 * 1000;
export const LEAF_DAYS = 825;
const CA_YEARS = 10;

/** The names a certificate for this machine's loopback answers to: what `curl https://localhost:…` and `https://127.0.0.1:…` check. */
export const LOCALHOST_ALT_NAMES: x509.JsonGeneralNames = [
  { type: "dns", value: "localhost" },
  { type: "ip", value: "127.0.0.1" },
  { type: "ip", value: "::1" },
];

export interface LeafRequest {
  /** e.g. "CN=localhost". */
  subject: string;
  purpose: "serverAuth" | "clientAuth";
  altNames?: x509.JsonGeneralNames;
  now?: Date;
}

/** A self-signed CA, valid from an hour before `now` (clock skew) for ten years. */
export async function createLocalCa(commonName: string, opts: { now?: Date } = {}): Promise<PemPair> {
  const notBefore = startOfValidity(opts.now);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_YEARS);
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=${commonName}`,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return pair(cert, keys.privateKey);
}

/** A leaf signed by `ca` (a PemPair from createLocalCa), valid from an hour before `now` for LEAF_DAYS days. */
export async function issueLeaf(ca: PemPair, request: LeafRequest): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const caPublicKey = await caCert.publicKey.export(crypto);
  const caPrivateKey = await crypto.subtle.importKey(
    "pkcs8",
    createPrivateKey(ca.privateKeyPem).export({ type: "pkcs8", format: "der" }),
    EC_P256,
    false,
    ["sign"],
  );
  const notBefore = startOfValidity(request.now);
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: request.subject,
      issuer: caCert.subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + LEAF_DAYS * 24 * HOUR_MS),
      publicKey: keys.publicKey,
      signingKey: caPrivateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([EKU[request.purpose]]),
        ...(request.altNames ? [new x509.SubjectAlternativeNameExtension(request.altNames)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caPublicKey, false, crypto),
      ],
    },
    crypto,
  );
  return pair(cert, keys.privateKey);
}

/** An hour before now, so a client whose clock runs a little behind still accepts the certificate. */
function startOfValidity(now: Date = new Date()): Date {
  return new Date(now.getTime() - HOUR_MS);
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC_P256, true, ["sign", "verify"])) as CryptoKeyPair;
}

/** 16 random bytes, top bit clear so the DER INTEGER stays positive, never all zero. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function pair(cert: x509.X509Certificate, privateKey: CryptoKey): PemPair {
  return {
    certificatePem: toPem(new Uint8Array(cert.rawData)),
    privateKeyPem: KeyObject.from(privateKey).export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
