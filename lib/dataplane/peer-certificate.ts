// The client certificate a TLS connection presented, as DER, read as cheaply as this Node allows.
//
// Measured per handshake on Node 20.20 / OpenSSL 3.0 (see README.md):
// - getPeerCertificate(): ~80–95 µs; it builds a JS object of every field (public key, three
//   fingerprints, parsed names) that is then thrown away.
// - getPeerX509Certificate(): ~30 µs, but each call keeps a native X509 (dozens of small mallocs)
//   alive until V8 collects its wrapper; interleaved with OpenSSL's own allocations that fragmented
//   glibc's heap until malloc/free took ~19% of the server's CPU instead of ~3% after 25 s of load.
// - getSession() + finding the certificate in it: ~50 µs, one Buffer, nothing native kept. The
//   session is OpenSSL's i2d_SSL_SESSION encoding, a SEQUENCE whose [3] EXPLICIT element is the peer
//   certificate (ssl/ssl_asn1.c); the same bytes getPeerCertificate().raw returns.
// getPeerCertificate() remains the fallback whenever the session does not hold a certificate.
import { createHash } from "node:crypto";
import type tls from "node:tls";

const SEQUENCE = 0x30;
const PEER_CERTIFICATE_TAG = 0xa3; // [3] EXPLICIT, constructed

/** SHA-256 of a certificate's DER, lowercase hex: the API's fingerprintSha256, and our cache and pin key. */
export function sha256Hex(der: Buffer): string {
  return createHash("sha256").update(der).digest("hex");
}

/** The presented certificate's DER, or null when the client presented none. */
export function presentedCertificateDer(socket: tls.TLSSocket): Buffer | null {
  const session = socket.getSession();
  const fromSession = session ? peerCertificateInSession(session) : null;
  if (fromSession) return fromSession;
  const presented = socket.getPeerCertificate();
  return presented && presented.raw ? presented.raw : null;
}

/** The [3] element of an encoded SSL_SESSION (a view into `session`), or null if absent or malformed. */
export function peerCertificateInSession(session: Buffer): Buffer | null {
  const outer = readTlv(session, 0);
  if (!outer || outer.tag !== SEQUENCE || outer.end !== session.length) return null;
  for (let offset = outer.contentStart; offset < outer.end; ) {
    const element = readTlv(session, offset);
    if (!element || element.end > outer.end) return null;
    if (element.tag === PEER_CERTIFICATE_TAG) {
      const certificate = readTlv(session, element.contentStart);
      // The explicit tag wraps exactly one certificate SEQUENCE.
      if (!certificate || certificate.tag !== SEQUENCE || certificate.end !== element.end) return null;
      return session.subarray(element.contentStart, certificate.end);
    }
    offset = element.end;
  }
  return null;
}

/** One DER tag-length-value at `at` (single-byte tags, definite lengths up to 4 bytes). */
function readTlv(bytes: Buffer, at: number): { tag: number; contentStart: number; end: number } | null {
  if (at + 2 > bytes.length) return null;
  const tag = bytes[at];
  let length = bytes[at + 1];
  let contentStart = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i];
    contentStart += count;
  }
  const end = contentStart + length;
  return end <= bytes.length ? { tag, contentStart, end } : null;
}
