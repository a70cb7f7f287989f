// The endpoint's HTTP/1.1 subset, spoken to by hand over real sockets (and by curl): keep-alive,
// pipelining, HTTP/1.0, closing rules, the bounds on what a client may send, and the one answer a
// refused client gets.
import { execFile } from "node:child_process";
import net from "node:net";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { createDataplane } from "./dataplane";
import { freePort } from "../../test/ports";
import { clientCred, httpListener, httpsListener, parseResponse, type HttpResponse } from "../../test/dataplane";
import type { Dataplane } from "./types";

let current: Dataplane | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function servePlain(): Promise<number> {
  current = createDataplane();
  const port = await freePort();
  await current.apply([httpListener(port)]);
  return port;
}

/** Sends `chunks` (with a pause between them) and collects every response until the server closes or `waitMs` passes. */
function exchange(port: number, chunks: string[], methods: string[] = [], waitMs = 300): Promise<{ responses: HttpResponse[]; closedByServer: boolean; raw: string }> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let closedByServer = false;
    const socket = net.connect(port, "127.0.0.1", async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.on("error", () => {});
    socket.on("end", () => (closedByServer = true));
    const finish = () => {
      const responses: HttpResponse[] = [];
      let rest = received;
      // methods[i]: the method of the i-th request (HEAD answers carry no body); GET otherwise.
      for (let parsed = parseResponse(rest, methods[0]); parsed; parsed = parseResponse(rest, methods[responses.length])) {
        responses.push(parsed.response);
        rest = rest.subarray(parsed.length);
      }
      resolve({ responses, closedByServer, raw: received.toString("latin1") });
    };
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on("close", () => {
      clearTimeout(timer);
      finish();
    });
  });
}

const GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

describe("the echo's HTTP/1.1", () => {
  it("keeps an HTTP/1.1 connection alive and answers pipelined requests in order", async () => {
    const port = await servePlain();
    const result = await exchange(port, [GET + "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n", GET], ["GET", "HEAD", "GET"]);
    expect(result.responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(result.responses[1].body).toBe("");
    expect(result.responses[0].headers).toMatchObject({
      connection: "keep-alive",
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      date: expect.stringMatching(/GMT$/),
    });
    expect(Number(result.responses[1].headers["content-length"])).toBe(result.responses[0].body.length);
    expect(result.closedByServer).toBe(false);
  });

  it("reads a request that arrives a few bytes at a time", async () => {
    const port = await servePlain();
    const result = await exchange(port, GET.match(/.{1,3}/gs)!);
    expect(result.responses.map((r) => r.status)).toEqual([200]);
  });

  it.each([
    ["HTTP/1.1 with Connection: close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true],
    ["HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", true],
    ["HTTP/1.0 with Connection: keep-alive (ab -k)", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", false],
  ])("%s: closed after the answer = %s", async (_label, request, closes) => {
    const port = await servePlain();
    const result = await exchange(port, [request]);
    expect(result.responses.map((r) => r.status)).toEqual([200]);
    expect(result.responses[0].headers.connection).toBe(closes ? "close" : "keep-alive");
    expect(result.closedByServer).toBe(closes);
  });

  it("answers other methods with 405 and never reads a request body as a request", async () => {
    const port = await servePlain();
    const smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    const result = await exchange(port, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`]);
    expect(result.responses).toHaveLength(1);
    expect(result.responses[0]).toMatchObject({ status: 405, headers: { allow: "GET, HEAD", connection: "close" } });
    expect(result.responses[0].json()).toMatchObject({ status: 405, detail: expect.stringContaining("GET") });
    expect(result.closedByServer).toBe(true);
  });

  it.each([
    ["a request line that is not HTTP/1.x", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400],
    ["a header line without a colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400],
    ["headers over 16 KiB", `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`, 431],
    ["headers over 16 KiB that never end", `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(17 * 1024)}`, 431],
  ])("refuses %s and closes", async (_label, request, status) => {
    const port = await servePlain();
    const result = await exchange(port, [request]);
    expect(result.responses.map((r) => r.status)).toEqual([status]);
    expect(result.responses[0].headers["content-type"]).toBe("application/problem+json");
    expect(result.closedByServer).toBe(true);
  });

  it("answers curl over mTLS with the echo", async () => {
    current = createDataplane();
    const port = await freePort();
    await current.apply([httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] })]);
    const output = await new Promise<string>((resolve) =>
      execFile(
        "curl",
        ["-sS", "--cacert", testCertPath("root-ca.pem"), "--cert", testCertPath("client.pem"), "--key", testCertPath("client.key"), `https://localhost:${port}/`, `https://localhost:${port}/`],
        { timeout: 10_000 },
        (_error, stdout, stderr) => resolve(stdout + stderr),
      ),
    );
    // Each body ends with a newline, so two answers are two lines (and a shell prompt starts on its own).
    expect(output.endsWith("}\n")).toBe(true);
    const bodies = output.trimEnd().split("\n");
    expect(bodies).toHaveLength(2); // two requests, one connection reused by curl
    expect(JSON.parse(bodies[0])).toMatchObject({ tls: { protocol: "TLSv1.3" }, clientCertificate: { subject: "CN=client-one,O=Test Corp" } });
  });

  it.each([
    ["client-other", "untrusted_issuer"],
    ["client-expired", "expired"],
    ["client-serveronly", "bad_key_usage"],
  ])("tells curl why %s is refused (%s): 403 problem body, then closed", async (client, reason) => {
    current = createDataplane();
    const port = await freePort();
    await current.apply([httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] })]);
    const output = await new Promise<string>((resolve) =>
      execFile(
        "curl",
        ["-sS", "-w", "\nstatus=%{http_code}", "--cacert", testCertPath("root-ca.pem"), "--cert", testCertPath(`${client}.pem`), "--key", testCertPath(`${client}.key`), `https://localhost:${port}/`],
        { timeout: 10_000 },
        (_error, stdout, stderr) => resolve(stdout + stderr),
      ),
    );
    const [body, status] = output.split("\nstatus=");
    expect(status).toBe("403");
    expect(JSON.parse(body)).toMatchObject({ title: "Client certificate refused", status: 403, reason, detail: expect.stringContaining(`(${reason})`) });
  });
});

describe("a refused connection", () => {
  it("answers its first request, whatever the method, with the 403 and nothing else, then closes", async () => {
    current = createDataplane();
    const port = await freePort();
    await current.apply([httpsListener(port, { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] })]);
    const { received, closedByServer } = await new Promise<{ received: Buffer; closedByServer: boolean }>((resolve) => {
      let received = Buffer.alloc(0);
      let closedByServer = false;
      const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca: testCertText("root-ca.pem"), ...clientCred("client-other") }, () =>
        // Pipelined: a POST (which would be a 405) and then a GET (which would be the echo).
        socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
      socket.on("end", () => (closedByServer = true));
      socket.on("error", () => {});
      socket.on("close", () => resolve({ received, closedByServer }));
    });
    const parsed = parseResponse(received, "POST")!;
    expect(parsed.response.status).toBe(403);
    expect(JSON.parse(parsed.response.body)).toMatchObject({ reason: "untrusted_issuer" });
    expect(parsed.length).toBe(received.length);
    expect(closedByServer).toBe(true);
  });
});
