import { createHash } from "node:crypto";

/**
 * SHA-256 of a certificate's DER, lowercase hex: the API's fingerprintSha256, and the data plane's
 * cache and pin key (so a pinned certificate and a presented one compare by the same string).
 */
export function sha256Hex(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}
