// The private key of a server certificate: PEM in PKCS#8, PKCS#1 or SEC1 form, possibly encrypted
// (PKCS#8 "ENCRYPTED PRIVATE KEY" or legacy Proc-Type headers). OpenSSL (node:crypto) parses it.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { asText } from "./input-format";
import { hasPemBoundary, parsePemBlocks, pemEncode } from "./pem";
import { reject } from "./problems";
import { MAX_CERTIFICATE_BYTES } from "./types";

const NOT_PEM =
  "The private key must be PEM text starting with '-----BEGIN PRIVATE KEY-----'; convert a DER key with `openssl pkey -inform DER -in key.der -out key.pem`.";

export function readPrivateKey(input: Uint8Array | string, passphrase?: string | null): { key: KeyObject; warnings: string[] } {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > MAX_CERTIFICATE_BYTES) reject("privateKey", "too_large", "The private key file is over the 1 MiB limit; upload only the key.");
  const text = typeof input === "string" ? input : asText(input);
  if (text === null || !hasPemBoundary(text)) reject("privateKey", "bad_private_key", NOT_PEM);

  const blocks = parsePemBlocks(text, "privateKey");
  const keys = blocks.filter((b) => b.label.endsWith("PRIVATE KEY"));
  if (keys.length === 0) {
    const certificate = blocks.some((b) => b.label === "CERTIFICATE");
    reject("privateKey", "bad_private_key", certificate
      ? "The Private key field holds a certificate, not a key; upload the private key file ('-----BEGIN PRIVATE KEY-----')."
      : `The Private key field holds a '${blocks[0].label}' block, not a private key; upload the PEM private key (PKCS#8, PKCS#1 or SEC1).`);
  }
  if (keys.length > 1) reject("privateKey", "bad_private_key", `The Private key field holds ${keys.length} private keys; upload only the key of this certificate.`);

  const [block] = keys;
  if (block.label === "OPENSSH PRIVATE KEY") {
    reject("privateKey", "bad_private_key", "This is an OpenSSH key, not a TLS key; convert a copy with `ssh-keygen -p -m PKCS8 -f KEYFILE` and upload that.");
  }
  const encrypted = block.label === "ENCRYPTED PRIVATE KEY" || /ENCRYPTED/i.test(block.headers["Proc-Type"] ?? "");
  if (encrypted && !passphrase) reject("passphrase", "passphrase_required", "The private key is encrypted; enter its passphrase.");

  // Re-encoded rather than passed as found, so one-line pastes and odd line ends reach OpenSSL intact.
  const pem = pemEncode(block.der, block.label, block.headers);
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: "pem", passphrase: passphrase! } : { key: pem, format: "pem" });
  } catch {
    if (encrypted) reject("passphrase", "wrong_passphrase", "The passphrase does not decrypt the private key; check it and enter it again.");
    reject("privateKey", "bad_private_key", "The private key could not be read; upload the PEM key file exactly as your tool wrote it (PKCS#8, PKCS#1 or SEC1).");
  }
  const warnings = !encrypted && passphrase ? ["The private key is not encrypted, so the passphrase was not needed and has been ignored."] : [];
  return { key, warnings };
}

/** True when `key` is the private half of the certificate's public key (compared as SPKI DER). */
export function keyMatchesCertificate(key: KeyObject, certificateDer: Uint8Array): boolean {
  const spki = (k: KeyObject) => k.export({ type: "spki", format: "der" });
  try {
    return spki(createPublicKey(key)).equals(spki(new X509Certificate(certificateDer).publicKey));
  } catch {
    return false; // a certificate key OpenSSL cannot export matches nothing
  }
}

/** The key as unencrypted PKCS#8 PEM, the one form the store and the data plane handle. */
export function toPkcs8Pem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}
