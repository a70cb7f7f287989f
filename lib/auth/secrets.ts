// Bearer secrets (session cookies, API tokens): random, and stored only as their SHA-256. They carry
// 256 bits of entropy, so a fast hash is enough; passwords use lib/auth/passwords.ts instead.
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
