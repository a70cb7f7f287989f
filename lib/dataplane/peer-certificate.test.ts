// Reading the presented client certificate from the TLS session, on real handshakes.
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../pki/fingerprint";
import { peerCertificateInSession, presentedCertificateDer } from "./peer-certificate";
import { testCertText } from "../../test/certs";
import { clientCred, der } from "../../test/dataplane";

let server: tls.Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

/** The server side of one handshake with `client` (or none), as the endpoint sees it. */
async function serverSide(version: tls.SecureVersion, client: string | null): Promise<tls.TLSSocket> {
  const accepted = new Promise<tls.TLSSocket>((resolve) => {
    server = tls.createServer({ cert: testCertText("server.pem"), key: testCertText("server.key"), ca: testCertText("root-ca.pem"), requestCert: true, rejectUnauthorized: false }, resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server!.address() as import("node:net").AddressInfo).port;
  const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca: testCertText("root-ca.pem"), maxVersion: version, minVersion: version, ...(client ? clientCred(client) : {}) });
  socket.on("error", () => {});
  const side = await accepted;
  side.on("close", () => socket.destroy());
  setTimeout(() => side.destroy(), 200);
  return side;
}

describe("the presented certificate", () => {
  it.each(["TLSv1.2", "TLSv1.3"] as const)("%s: is found in the session, byte for byte the client's certificate", async (version) => {
    const side = await serverSide(version, "client");
    const fromSession = peerCertificateInSession(side.getSession()!);
    expect(fromSession).not.toBeNull();
    expect(fromSession!.equals(der("client.pem"))).toBe(true);
    expect(presentedCertificateDer(side)!.equals(side.getPeerCertificate().raw)).toBe(true);
    expect(sha256Hex(fromSession!)).toBe(side.getPeerCertificate().fingerprint256.replace(/:/g, "").toLowerCase());
  });

  it("is null when the client presented none", async () => {
    const side = await serverSide("TLSv1.3", null);
    expect(presentedCertificateDer(side)).toBeNull();
  });

  it("is not read out of a malformed or truncated session", () => {
    const certificate = der("client.pem");
    const wrapped = Buffer.concat([Buffer.from([0xa3, 0x82, certificate.length >> 8, certificate.length & 0xff]), certificate]);
    const session = Buffer.concat([Buffer.from([0x30, 0x82, wrapped.length >> 8, wrapped.length & 0xff]), wrapped]);
    expect(peerCertificateInSession(session)!.equals(certificate)).toBe(true);
    expect(peerCertificateInSession(session.subarray(0, session.length - 1))).toBeNull();
    expect(peerCertificateInSession(Buffer.from([0x30, 0x00]))).toBeNull();
    expect(peerCertificateInSession(Buffer.from("not a session"))).toBeNull();
    expect(peerCertificateInSession(Buffer.alloc(0))).toBeNull();
  });
});
