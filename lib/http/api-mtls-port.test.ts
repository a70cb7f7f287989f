// The client-certificate port's own decisions (which paths, what the header says), and the Node
// behaviour its per-request header rests on, over real TLS: a resumed session (TLS 1.2 session id
// or ticket, TLS 1.3 ticket) still reports the certificate it was made with, and a kept-alive
// connection reports it on every request.
import crypto from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoPki, type PemPair } from "../pki";
import { clientCertificateHeaderValue, isServedOnApiMtlsPort, notServedOnApiMtlsPort } from "./api-mtls-port";

describe("the header value", () => {
  it("is sha256= and the lowercase hex SHA-256 of the DER, or none", () => {
    const der = Buffer.from("30820102", "hex");
    expect(clientCertificateHeaderValue(der)).toBe(`sha256=${crypto.createHash("sha256").update(der).digest("hex")}`);
    expect(clientCertificateHeaderValue(der)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(clientCertificateHeaderValue(undefined)).toBe("none");
    expect(clientCertificateHeaderValue(null)).toBe("none");
    expect(clientCertificateHeaderValue(Buffer.alloc(0))).toBe("none");
  });
});

describe("what the port serves", () => {
  it("serves /api/v1 and below, nothing else, and no server action", () => {
    for (const url of ["/api/v1", "/api/v1/", "/api/v1/me", "/api/v1/load-balancers?limit=5"]) expect(isServedOnApiMtlsPort(url, {})).toBe(true);
    for (const url of ["/", "/load-balancers", "/_next/static/x.js", "/api", "/api/v2/me", "/api/v1x", "/api%2fv1/me", "https://localhost/api/v1/me", "//api/v1/me", "*"]) {
      expect(isServedOnApiMtlsPort(url, {})).toBe(false);
    }
    expect(isServedOnApiMtlsPort("/api/v1/me", { "next-action": "7f3a" })).toBe(false);
  });

  it("answers the rest with a problem that names the console's URL", () => {
    expect(notServedOnApiMtlsPort("http://127.0.0.1:3000")).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail:
        "The web console is not served on this port, which serves only the API under /api/v1/ to clients that authenticate with a certificate; open the console at http://127.0.0.1:3000.",
      errors: [],
    });
  });
});

describe("the presented certificate on every request (real TLS)", () => {
  let pki: { ca: PemPair; server: PemPair; client: PemPair };
  let server: https.Server;
  let port: number;
  let clientHeader: string;

  beforeAll(async () => {
    pki = await generateDemoPki();
    clientHeader = clientCertificateHeaderValue(new crypto.X509Certificate(pki.client.certificatePem).raw);
    // The port's settings (server/console.ts), answering what it would stamp on each request.
    server = https.createServer(
      { cert: pki.server.certificatePem, key: pki.server.privateKeyPem, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
      (request, response) => {
        const socket = request.socket as TLSSocket;
        // Both of Node's ways to the peer's DER (server/console.ts reads the second, the cheaper one).
        const viaObject = clientCertificateHeaderValue(socket.getPeerCertificate()?.raw);
        const viaX509 = clientCertificateHeaderValue(socket.getPeerX509Certificate()?.raw);
        response.end(JSON.stringify({ header: viaX509 === viaObject ? viaX509 : `differ: ${viaObject} ${viaX509}`, resumed: socket.isSessionReused(), protocol: socket.getProtocol() }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  function get(agent: https.Agent, options: https.RequestOptions = {}): Promise<{ header: string; resumed: boolean; protocol: string; socket: unknown }> {
    return new Promise((resolve, reject) => {
      const request = https.get({ host: "127.0.0.1", port, path: "/api/v1/me", servername: "localhost", ca: pki.ca.certificatePem, agent, ...options }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ ...JSON.parse(body), socket: response.socket }));
      });
      request.on("error", reject);
    });
  }

  it.each(["TLSv1.2", "TLSv1.3"] as const)("a resumed %s session carries the certificate", async (version) => {
    // keepAlive off: each request is a new connection, resumed from the agent's session cache.
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10 });
    const options = { cert: pki.client.certificatePem, key: pki.client.privateKeyPem, minVersion: version, maxVersion: version };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get(agent, options));
    expect(answers.map((a) => [a.protocol, a.resumed, a.header])).toEqual([
      [version, false, clientHeader],
      [version, true, clientHeader],
      [version, true, clientHeader],
    ]);
    agent.destroy();
  });

  it("a kept-alive connection carries it on every request, and a client without one is none", async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const options = { cert: pki.client.certificatePem, key: pki.client.privateKeyPem };
    const first = await get(agent, options);
    const second = await get(agent, options);
    expect(second.socket).toBe(first.socket);
    expect([first.header, second.header]).toEqual([clientHeader, clientHeader]);
    agent.destroy();

    const anonymous = new https.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(anonymous)).header).toBe("none");
    expect((await get(anonymous)).header).toBe("none");
    anonymous.destroy();
  });
});
