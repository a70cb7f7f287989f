// First-start demo material, made in-process with WebCrypto so a fresh install can serve mTLS at
// once: a CA, a localhost server certificate and a client certificate, all ECDSA P-256.
import "reflect-metadata";
import { KeyObject, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { toPem } from "./pem";
import { EKU } from "./oids";
import type { PemPair } from "./types";

const crypto = webcrypto as unknown as Crypto;
const EC_P256: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const HOUR_MS = 60 * 60 * 1000;
const LEAF_DAYS = 825;
const CA_YEARS = 10;

export async function generateDemoPki(opts: { now?: Date } = {}): Promise<{ ca: PemPair; server: PemPair; client: PemPair }> {
  const notBefore = new Date((opts.now ?? new Date()).getTime() - HOUR_MS);
  const caNotAfter = new Date(notBefore);
  caNotAfter.setUTCFullYear(caNotAfter.getUTCFullYear() + CA_YEARS);
  const leafNotAfter = new Date(notBefore.getTime() + LEAF_DAYS * 24 * HOUR_MS);

  const caKeys = await newKeyPair();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: "CN=certgate demo CA",
      notBefore,
      notAfter: caNotAfter,
      keys: caKeys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const leaf = async (subject: string, purpose: string, altNames?: x509.JsonGeneralNames): Promise<PemPair> => {
    const keys = await newKeyPair();
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serial(),
        subject,
        issuer: caCert.subject,
        notBefore,
        notAfter: leafNotAfter,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([purpose]),
          ...(altNames ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        ],
      },
      crypto,
    );
    return pair(cert, keys);
  };

  return {
    ca: pair(caCert, caKeys),
    server: await leaf("CN=localhost", EKU.serverAuth, [
      { type: "dns", value: "localhost" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ]),
    client: await leaf("CN=demo-client", EKU.clientAuth),
  };
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

function pair(cert: x509.X509Certificate, keys: CryptoKeyPair): PemPair {
  return {
    certificatePem: toPem(new Uint8Array(cert.rawData)),
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
