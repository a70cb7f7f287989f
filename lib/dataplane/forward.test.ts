// Forwarding against real backends (node:http on 127.0.0.1 recording what they receive) through
// real HTTP and mTLS listeners: balancing, health, error answers, the headers a backend receives
// (byte for byte), streaming with backpressure, WebSocket pass-through, keep-alive reuse.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { RecordingBackend, dataplaneWithBackends, poolOf } from "../../test/backend";
import { testCertText } from "../../test/certs";
import { KeepAliveClient, clientCred, der, eventually, httpListener, httpsListener } from "../../test/dataplane";
import { request, serveWebsocketEcho, websocketRoundTrip } from "../../test/forwarding";
import { freePort } from "../../test/ports";
import type { PoolRuntimeConfig } from "./types";

const rootCa = { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] };
const { start, backend, key } = dataplaneWithBackends();

/** Every header the backend received under `name` (case-insensitive) for request `index`. */
function received(server: RecordingBackend, index: number, name: string): string[] {
  return server.header(index, name);
}

/** The received header names (lowercase) that only certgate may set. */
function certNames(server: RecordingBackend, index: number): string[] {
  const raw = server.received[index].rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name.startsWith("x-client-cert-") || name === "client-cert" || name === "client-cert-chain") out.push(name);
  }
  return out;
}

const SPOOFED: http.OutgoingHttpHeaders = {
  "X-Client-Cert-Verify": ["SUCCESS", "SUCCESS"],
  "x-client-cert-subject": "CN=admin",
  "X-CLIENT-CERT-FINGERPRINT-SHA256": "00",
  "X-Client-Cert-Anything": "spoofed",
  "Client-Cert": ":AAAA:",
  "client-cert-chain": [":AAAA:", ":BBBB:"],
  "X-Forwarded-For": "6.6.6.6",
  "X-Forwarded-Proto": "gopher",
  "X-Forwarded-Host": "evil.example",
  Forwarded: "for=6.6.6.6;proto=http",
};

describe("balancing", () => {
  it("spreads requests by smooth weighted round robin (weights 3, 1, 1 → a b a c a)", async () => {
    const [a, b, c] = [await backend("a"), await backend("b"), await backend("c")];
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([{ backend: a, weight: 3 }, { backend: b, weight: 1 }, { backend: c, weight: 1 }]) })]);
    const order: string[] = [];
    for (let i = 0; i < 10; i++) order.push((await request(port, false)).text);
    expect(order).toEqual(["a", "b", "a", "c", "a", "a", "b", "a", "c", "a"]);
  });

  it("sends to the member with the fewest requests in flight (least_connections)", async () => {
    const held: http.ServerResponse[] = [];
    const hold: ConstructorParameters<typeof RecordingBackend>[1] = (req, res, self) => {
      if (req.url === "/hold") held.push(res);
      else res.end(self.name);
    };
    const [a, b] = [await backend("a", hold), await backend("b", hold)];
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([a, b], { algorithm: "least_connections" }) })]);
    const slow = request(port, false, { path: "/hold" });
    await eventually(() => expect(held).toHaveLength(1));
    const busy = a.received.length === 1 ? "a" : "b";
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push((await request(port, false)).text);
    expect(answers).toEqual(Array(4).fill(busy === "a" ? "b" : "a"));
    held[0].end("held");
    expect((await slow).text).toBe("held");
  });

  it("takes a stopped member out of rotation and puts it back once healthy", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const dataplane = start();
    const port = await freePort();
    const pool = poolOf([a, b]);
    await dataplane.apply([httpListener(port, { pool })]);
    await eventually(() => expect(dataplane.poolHealth(pool.id)).toEqual({ [key(a)]: "healthy", [key(b)]: "healthy" }), 3_000);
    await b.stop();
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(b)]).toBe("unhealthy"), 3_000);
    const whileDown: string[] = [];
    for (let i = 0; i < 4; i++) whileDown.push((await request(port, false)).text);
    expect(whileDown).toEqual(["a", "a", "a", "a"]);
    await b.start();
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(b)]).toBe("healthy"), 3_000);
    const afterwards: string[] = [];
    for (let i = 0; i < 4; i++) afterwards.push((await request(port, false)).text);
    expect(afterwards.sort()).toEqual(["a", "a", "b", "b"]);
  });

  it("applies a change of members to the next request of an open connection", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port, {}, { pool: poolOf([a]) });
    await dataplane.apply([listener]);
    const client = await KeepAliveClient.open(port);
    expect((await client.request("/"))?.body).toBe("a");
    await dataplane.apply([{ ...listener, pool: { ...listener.pool!, members: [{ address: "127.0.0.1", port: b.port, weight: 1 }] } }]);
    expect((await client.request("/"))?.body).toBe("b");
    expect(client.isClosed).toBe(false);
    client.close();
  });

  it("reuses kept-alive connections to a member", async () => {
    const a = await backend("a");
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([a]) })]);
    for (let i = 0; i < 5; i++) await request(port, false);
    expect(new Set(a.received.map((entry) => entry.remotePort)).size).toBe(1);
    expect(a.received).toHaveLength(5);
  });
});

describe("error answers", () => {
  function expectProblem(response: Awaited<ReturnType<typeof request>>, status: number, poolName: string): void {
    expect(response.status).toBe(status);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    const body = JSON.parse(response.text) as Record<string, unknown>;
    expect(body).toMatchObject({ status, pool: poolName, type: expect.stringMatching(/^urn:certgate:problem:/) });
    expect(body.detail).toEqual(expect.stringContaining(`pool "${poolName}"`));
    expect(response.text.length).toBeLessThan(400);
  }

  it("answers 503 when no member is in service", async () => {
    const a = await backend("a");
    const dataplane = start();
    const port = await freePort();
    const pool = poolOf([a]);
    await dataplane.apply([httpListener(port, { pool })]);
    await a.stop();
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(a)]).toBe("unhealthy"), 3_000);
    expectProblem(await request(port, false), 503, pool.name);
  });

  it("answers 502 when a member resets the connection mid-request or refuses it", async () => {
    const resetting = await backend("resetting", (req) => req.socket.destroy());
    const dataplane = start();
    const port = await freePort();
    const pool = poolOf([resetting]);
    await dataplane.apply([httpListener(port, { pool })]);
    expectProblem(await request(port, false), 502, pool.name);

    // Refused and still "unknown" (no check settled yet): the only member, so 502 too.
    const closedPort = await freePort();
    const refusing: PoolRuntimeConfig = { ...poolOf([]), members: [{ address: "127.0.0.1", port: closedPort, weight: 1 }], healthCheck: { path: "/", intervalSeconds: 60, healthyThreshold: 1, unhealthyThreshold: 3 } };
    const port2 = await freePort();
    await dataplane.apply([httpListener(port, { pool }), httpListener(port2, { pool: refusing })]);
    const refused = await request(port2, false);
    expectProblem(refused, 502, refusing.name);
    expect(JSON.parse(refused.text).detail).toContain("ECONNREFUSED");
  });

  it("answers 504 when a member does not answer in time", async () => {
    const silent = await backend("silent", () => undefined);
    const dataplane = start({ forwardTimeouts: { headersMs: 300 } });
    const port = await freePort();
    const pool = poolOf([silent]);
    await dataplane.apply([httpListener(port, { pool })]);
    expectProblem(await request(port, false), 504, pool.name);
  });

  it("answers a malformed or oversized request head itself (400 / 431), never reaching the member", async () => {
    const a = await backend("a");
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([a]) })]);
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let got = "";
        const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
        socket.on("data", (chunk: Buffer) => (got += chunk.toString("latin1")));
        socket.on("close", () => resolve(got));
        socket.on("error", () => undefined);
      });
    const malformed = await raw("GET / HTTP/1.1\r\nHost localhost\r\n\r\n");
    expect(malformed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*content-type: application\/problem\+json/);
    const oversized = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"x".repeat(20 * 1024)}\r\n\r\n`);
    expect(oversized).toMatch(/^HTTP\/1\.1 431 /);
    expect(a.received).toHaveLength(0);
  });

  it("tries the next member when one refuses the connection before anything was sent", async () => {
    const a = await backend("a");
    const closedPort = await freePort();
    const dataplane = start();
    const port = await freePort();
    const pool = poolOf([a], { healthCheck: { path: "/", intervalSeconds: 60, healthyThreshold: 1, unhealthyThreshold: 3 } });
    pool.members.unshift({ address: "127.0.0.1", port: closedPort, weight: 1 });
    await dataplane.apply([httpListener(port, { pool })]);
    for (let i = 0; i < 4; i++) expect((await request(port, false)).text).toBe("a");
  });
});

describe("what the backend receives", () => {
  it.each([
    ["required", { ...rootCa, mode: "required" as const }],
    ["optional", { ...rootCa, mode: "optional" as const }],
  ])("removes every spoofed copy in %s mode and sends the verdict and certificate (X-Forwarded-* replaced)", async (_mode, clientAuth) => {
    const a = await backend("a");
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, clientAuth, { pool: poolOf([a]) })]);
    const response = await request(port, true, { ...clientCred("client"), headers: { ...SPOOFED, "X-Custom": "kept" } });
    expect(response.status).toBe(200);
    expect(received(a, 0, "x-client-cert-verify")).toEqual(["SUCCESS"]);
    expect(received(a, 0, "x-client-cert-anything")).toEqual([]);
    expect(received(a, 0, "client-cert")).toEqual([`:${der("client.pem").toString("base64")}:`]);
    // A Node client completes the chain it sends from its own store: it sent the root after its leaf.
    expect(received(a, 0, "client-cert-chain")).toEqual([`:${der("root-ca.pem").toString("base64")}:`]);
    expect(certNames(a, 0).sort()).toEqual(
      ["client-cert", "client-cert-chain", "x-client-cert-fingerprint-sha256", "x-client-cert-issuer", "x-client-cert-not-after", "x-client-cert-not-before", "x-client-cert-serial", "x-client-cert-subject", "x-client-cert-verify"].sort(),
    );
    expect(received(a, 0, "x-forwarded-for")).toEqual(["127.0.0.1"]);
    expect(received(a, 0, "x-forwarded-proto")).toEqual(["https"]);
    expect(received(a, 0, "x-forwarded-host")).toEqual([`127.0.0.1:${port}`]);
    expect(received(a, 0, "forwarded")).toEqual([`for=127.0.0.1;proto=https;host="127.0.0.1:${port}"`]);
    expect(received(a, 0, "x-custom")).toEqual(["kept"]);
  });

  it("gives the same certificate headers as the echo, and RFC 9440 Client-Cert / Client-Cert-Chain byte for byte for a leaf of an intermediate", async () => {
    const a = await backend("a");
    const dataplane = start();
    const [forwarding, echoing] = [await freePort(), await freePort()];
    await dataplane.apply([httpsListener(forwarding, rootCa, { pool: poolOf([a]) }), httpsListener(echoing, rootCa)]);
    // The client sends its leaf and the intermediate (not the root, which the listener has).
    const credentials = { cert: testCertText("client-of-intermediate-chain.pem"), key: testCertText("client-of-intermediate.key") };
    expect((await request(forwarding, true, credentials)).status).toBe(200);
    const echo = JSON.parse((await request(echoing, true, credentials)).text) as { headers: Record<string, string> };
    for (const [name, value] of Object.entries(echo.headers)) expect(received(a, 0, name)).toEqual([value]);
    expect(received(a, 0, "Client-Cert")).toEqual([`:${der("client-of-intermediate.pem").toString("base64")}:`]);
    expect(received(a, 0, "Client-Cert-Chain")).toEqual([`:${der("intermediate-ca.pem").toString("base64")}:`]);

    // Leaf only, against the intermediate as anchor: the listener completes nothing into the chain.
    const anchoredAtIntermediate = httpsListener(await freePort(), { enabled: true, caCertificatesPem: [testCertText("intermediate-ca.pem")] }, { pool: poolOf([a]) });
    await dataplane.apply([anchoredAtIntermediate]);
    const leafOnly = await request(anchoredAtIntermediate.port, true, clientCred("client-of-intermediate"));
    expect(leafOnly.status).toBe(200);
    expect(received(a, 1, "X-Client-Cert-Verify")).toEqual(["SUCCESS"]);
    expect(received(a, 1, "Client-Cert")).toEqual([`:${der("client-of-intermediate.pem").toString("base64")}:`]);
    expect(received(a, 1, "Client-Cert-Chain")).toEqual([]);
  });

  it("forwards NONE and FAILED:<reason> in optional mode, with the certificate that failed", async () => {
    const a = await backend("a");
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, { ...rootCa, mode: "optional" }, { pool: poolOf([a]) })]);
    expect((await request(port, true, { headers: SPOOFED })).status).toBe(200);
    expect(received(a, 0, "X-Client-Cert-Verify")).toEqual(["NONE"]);
    expect(certNames(a, 0)).toEqual(["x-client-cert-verify"]);

    expect((await request(port, true, { ...clientCred("client-other"), headers: SPOOFED })).status).toBe(200);
    expect(received(a, 1, "X-Client-Cert-Verify")).toEqual(["FAILED:untrusted_issuer"]);
    expect(received(a, 1, "Client-Cert")).toEqual([`:${der("client-other.pem").toString("base64")}:`]);
    expect(received(a, 1, "X-Client-Cert-Subject")).toHaveLength(1);

    expect((await request(port, true, clientCred("client-expired"))).status).toBe(200);
    expect(received(a, 2, "X-Client-Cert-Verify")).toEqual(["FAILED:expired"]);
  });

  it("removes spoofed copies with client auth off and on HTTP listeners (verdict NONE)", async () => {
    const a = await backend("a");
    const dataplane = start();
    const [secure, plain] = [await freePort(), await freePort()];
    await dataplane.apply([httpsListener(secure, {}, { pool: poolOf([a]) }), httpListener(plain, { pool: poolOf([a]) })]);
    expect((await request(secure, true, { ...clientCred("client"), headers: SPOOFED })).status).toBe(200);
    expect((await request(plain, false, { headers: SPOOFED })).status).toBe(200);
    for (const index of [0, 1]) {
      expect(certNames(a, index)).toEqual(["x-client-cert-verify"]);
      expect(received(a, index, "X-Client-Cert-Verify")).toEqual(["NONE"]);
      expect(received(a, index, "x-forwarded-for")).toEqual(["127.0.0.1"]);
    }
    expect(received(a, 0, "x-forwarded-proto")).toEqual(["https"]);
    expect(received(a, 1, "x-forwarded-proto")).toEqual(["http"]);
    expect(received(a, 1, "forwarded")).toEqual([`for=127.0.0.1;proto=http;host="127.0.0.1:${plain}"`]);
  });

  it("removes hop-by-hop headers both ways and the headers Connection names", async () => {
    const a = await backend("a", (_req, res) => {
      res.setHeader("X-Backend-Private", "secret");
      res.setHeader("Connection", "X-Backend-Private");
      res.setHeader("Set-Cookie", ["one=1", "two=2"]);
      res.end("a");
    });
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([a]) })]);
    const response = await request(port, false, {
      headers: { Connection: "keep-alive, X-Remove-Me", "X-Remove-Me": "1", "Keep-Alive": "timeout=5", TE: "trailers", "Proxy-Authorization": "Basic eDp5", "Proxy-Connection": "keep-alive", "X-Kept": "yes" },
    });
    expect(response.text).toBe("a");
    for (const name of ["x-remove-me", "keep-alive", "te", "proxy-authorization", "proxy-connection", "upgrade", "trailer"]) expect(received(a, 0, name)).toEqual([]);
    // undici's own connection management header is the only Connection the backend sees.
    expect(received(a, 0, "connection").every((value) => value === "keep-alive")).toBe(true);
    expect(received(a, 0, "x-kept")).toEqual(["yes"]);
    expect(response.headers["x-backend-private"]).toBeUndefined();
    expect(response.headers["set-cookie"]).toEqual(["one=1", "two=2"]);
  });
});

describe("streaming and upgrades", () => {
  it("streams a large download with backpressure: the member is held back while the client does not read", async () => {
    const total = 32 * 1024 * 1024;
    const chunk = randomBytes(64 * 1024);
    let written = 0;
    const a = await backend("a", (_req, res) => {
      res.setHeader("content-length", String(total));
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, rootCa, { pool: poolOf([a]) })]);
    await new Promise<void>((resolve, reject) => {
      {
        const r = https.request({ host: "127.0.0.1", port, servername: "localhost", ca: testCertText("root-ca.pem"), ...clientCred("client"), agent: false }, (res) => {
          res.pause();
          // The client reads nothing for a while: the bytes in flight are bounded by socket buffers.
          setTimeout(() => {
            try {
              expect(written).toBeLessThan(total / 2);
            } catch (error) {
              reject(error);
              return;
            }
            const hash = createHash("sha256");
            let got = 0;
            res.on("data", (data: Buffer) => {
              got += data.length;
              hash.update(data);
            });
            res.on("end", () => {
              try {
                expect(got).toBe(total);
                resolve();
              } catch (error) {
                reject(error);
              }
            });
            res.resume();
          }, 1_000);
        });
        r.on("error", reject);
        r.end();
      }
    });
    expect(written).toBe(total);
  });

  it("streams a large upload with backpressure: the client is held back while the member does not read", async () => {
    const total = 32 * 1024 * 1024;
    const hash = createHash("sha256");
    const a = await backend("a", (req, res) => {
      // Reads nothing for a second, then everything.
      setTimeout(() => {
        const digest = createHash("sha256");
        req.on("data", (data: Buffer) => digest.update(data));
        req.on("end", () => res.end(digest.digest("hex")));
      }, 1_000);
    });
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpListener(port, { pool: poolOf([a]) })]);
    let sent = 0;
    let sentAfterHalfSecond = -1;
    const answer = await new Promise<string>((resolve, reject) => {
      const r = http.request({ host: "127.0.0.1", port, method: "POST", path: "/upload", agent: false, headers: { "x-test-stream": "1", "content-type": "application/octet-stream" } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (data: string) => (text += data));
        res.on("end", () => resolve(text));
      });
      r.on("error", reject);
      setTimeout(() => (sentAfterHalfSecond = sent), 500);
      const chunk = randomBytes(64 * 1024);
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          hash.update(chunk);
          if (!r.write(chunk)) return void r.once("drain", pump);
        }
        r.end();
      };
      pump();
    });
    expect(sentAfterHalfSecond).toBeGreaterThan(0);
    expect(sentAfterHalfSecond).toBeLessThan(total / 2);
    expect(answer).toBe(hash.digest("hex"));
    expect(received(a, 0, "transfer-encoding")).toEqual(["chunked"]);
  });

  it("passes a WebSocket upgrade through to the member and echoes frames, with the verdict headers", async () => {
    const a = await backend("a");
    const upgrades: http.IncomingMessage[] = [];
    serveWebsocketEcho(a.httpServer!, upgrades);
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, rootCa, { pool: poolOf([a]) })]);
    const { echoed } = await websocketRoundTrip(port, clientCred("client"), "hello through certgate");
    expect(echoed).toBe("echo: hello through certgate");
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0].headers["x-client-cert-verify"]).toBe("SUCCESS");
    expect(upgrades[0].headers["client-cert"]).toBe(`:${der("client.pem").toString("base64")}:`);
    expect(upgrades[0].headers.upgrade).toBe("websocket");
  });

  it("keeps the echo for listeners without a pool", async () => {
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([httpsListener(port, rootCa)]);
    const response = await request(port, true, clientCred("client"));
    expect(JSON.parse(response.text).headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
  });
});
