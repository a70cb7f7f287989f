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
import type { X509Certificate } from "node:crypto";
import type tls from "node:tls";
import { DerError, TAG, readTlvHeader } from "../pki/der";

const PEER_CERTIFICATE_TAG = 0xa3; // [3] EXPLICIT, constructed

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
  try {
    const outer = readTlvHeader(session, 0, "the TLS session");
    if (outer.tag !== TAG.SEQUENCE || outer.end !== session.length) return null;
    for (let offset = outer.contentStart; offset < outer.end; ) {
      const element = readTlvHeader(session, offset, "a session field");
      if (element.tag === PEER_CERTIFICATE_TAG) {
        const certificate = readTlvHeader(session, element.contentStart, "the peer certificate");
        // The explicit tag wraps exactly one certificate SEQUENCE.
        if (certificate.tag !== TAG.SEQUENCE || certificate.end !== element.end) return null;
        return session.subarray(element.contentStart, certificate.end);
      }
      offset = element.end;
    }
    return null;
  } catch (error) {
    if (error instanceof DerError) return null; // getPeerCertificate() is the fallback
    throw error;
  }
}

/**
 * The certificates the client sent after its leaf, in its order (empty when it sent none, and on a
 * resumed session, which keeps the leaf only). getPeerX509Certificate().issuerCertificate is built
 * from OpenSSL's SSL_get_peer_cert_chain(), which on a server is exactly the sent list without the
 * leaf; getPeerCertificate(true) is not: it relinks by issuer and completes the chain from the
 * listener's own trust store. Read at most once per connection (see the heap note above) and kept:
 * Node builds issuerCertificate by taking the certificates off OpenSSL's list, so a second
 * getPeerX509Certificate() on the same connection finds no chain.
 */
export function sentChain(socket: tls.TLSSocket): readonly X509Certificate[] {
  let chain = sentChains.get(socket);
  if (!chain) {
    chain = readSentChain(socket);
    sentChains.set(socket, chain);
  }
  return chain;
}

const sentChains = new WeakMap<tls.TLSSocket, readonly X509Certificate[]>();

function readSentChain(socket: tls.TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let issuer = socket.getPeerX509Certificate()?.issuerCertificate;
  for (let depth = 0; issuer && depth < 16; depth++) {
    chain.push(issuer);
    issuer = issuer.issuerCertificate;
  }
  return chain;
}
