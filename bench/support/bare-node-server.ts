// The yardstick for certgate's own overhead: a bare Node HTTPS server on the same Node, with the same
// certificates, TLS settings and a JSON echo of the same size, verifying clients with OpenSSL only
// (requestCert + rejectUnauthorized, one CA) — no per-connection policy, no log, no live changes.
// Started pinned to the server core; prints "ready" once listening.
import fs from "node:fs";
import https from "node:https";
import { MODERN_CIPHERS } from "../../lib/dataplane/secure-context";
import type { KeyType } from "./pki";

interface BareSetup {
  listeners: { port: number; type: KeyType; serverPem: string; serverKey: string; caPem: string }[];
}

const bodies = new WeakMap<object, string>();

function echo(socket: import("node:tls").TLSSocket, name: string): string {
  const peer = socket.getPeerCertificate();
  return JSON.stringify({
    listener: { id: "bench", name },
    tls: { protocol: socket.getProtocol(), cipher: socket.getCipher()?.standardName },
    clientCertificate: { subject: peer.subject?.CN, issuer: peer.issuer?.CN, serialNumber: peer.serialNumber, fingerprintSha256: peer.fingerprint256, notBefore: peer.valid_from, notAfter: peer.valid_to },
    headers: { "X-Client-Cert-Verify": "SUCCESS" },
  });
}

const setup = JSON.parse(process.env.CERTGATE_BENCH_BARE ?? "") as BareSetup;
let listening = 0;
for (const listener of setup.listeners) {
  const server = https.createServer(
    {
      cert: fs.readFileSync(listener.serverPem),
      key: fs.readFileSync(listener.serverKey),
      ca: fs.readFileSync(listener.caPem),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      ciphers: MODERN_CIPHERS,
      honorCipherOrder: true,
      ALPNProtocols: ["http/1.1"],
    },
    (request, response) => {
      const socket = request.socket as import("node:tls").TLSSocket;
      // Built once per connection, as certgate does.
      let body = bodies.get(socket);
      if (body === undefined) {
        body = echo(socket, listener.type);
        bodies.set(socket, body);
      }
      response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
      response.end(body);
    },
  );
  server.on("tlsClientError", () => {});
  server.listen(listener.port, "127.0.0.1", () => {
    listening += 1;
    if (listening === setup.listeners.length) console.log("ready");
  });
}
process.on("SIGTERM", () => process.exit(0));
