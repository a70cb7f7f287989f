import crypto from "node:crypto";

/** crypto.hash (Node ≥ 20.12): one call, no Hash object — about half the cost of createHash here (~2 µs vs ~5 µs for a certificate). */
const oneShot = typeof crypto.hash === "function" ? crypto.hash : null;

/**
 * SHA-256 of a certificate's DER, lowercase hex: the API's fingerprintSha256, and the data plane's
 * cache and pin key (so a pinned certificate and a presented one compare by the same string).
 * Computed for every client certificate presented in a handshake.
 */
export function sha256Hex(der: Uint8Array): string {
  if (oneShot) return oneShot("sha256", der, "hex");
  return crypto.createHash("sha256").update(der).digest("hex");
}
