// Private keys are sealed with AES-256-GCM before they reach the database. The key comes
// from CERTGATE_SECRET, or from a random key generated once into DATA_DIR with 0600 perms.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";
const KEY_FILE = "secret.key";

export interface KeySealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Derives the sealing key; a passphrase of any length becomes 32 bytes via HKDF. */
export function createKeySealer(options: { secret: string | null; dataDir: string }): KeySealer {
  const material = options.secret ? Buffer.from(options.secret, "utf8") : readOrCreateKeyFile(options.dataDir);
  const key = Buffer.from(crypto.hkdfSync("sha256", material, Buffer.alloc(0), "certgate private keys v1", 32));

  return {
    // `context` (the certificate id) is bound as additional data, so a sealed key copied
    // onto another row does not open.
    seal(plaintext, context) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(sealed, context) {
      const [version, payload] = sealed.split(":");
      if (version !== VERSION || !payload) throw new Error("Unknown sealed key format.");
      const raw = Buffer.from(payload, "base64");
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(
          "A stored private key could not be decrypted: CERTGATE_SECRET (or DATA_DIR/secret.key) differs from the one it was saved with.",
        );
      }
    },
  };
}

function readOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // "wx" fails if another process created it first; then both read the same file.
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
}
