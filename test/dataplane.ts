// Helpers for the data plane's tests: real clients on real sockets, speaking TLS and HTTP/1.1 by
// hand so a test can tell "refused before any HTTP byte" from "answered with an error status".
import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { expect } from "vitest";
import type { EchoBody } from "../lib/dataplane/echo";
import type { ClientAuthRuntime, ConnectionRecord, ListenerRuntimeConfig, RefusalReason } from "../lib/dataplane/types";
import { testCertText } from "./certs";

/** DER of the first certificate of a PEM test file. */
export function der(name: string): Buffer {
  return new X509Certificate(testCertText(name)).raw;
}

let counter = 0;

export function httpsListener(
  port: number,
  clientAuth: Partial<ClientAuthRuntime> = {},
  overrides: Partial<ListenerRuntimeConfig> = {},
): ListenerRuntimeConfig {
  counter += 1;
  return {
    id: `lst-${counter}`,
    name: `https-${port}`,
    protocol: "HTTPS",
    host: "127.0.0.1",
    port,
    tls: {
      certificateChainPem: testCertText("server.pem"),
      privateKeyPem: testCertText("server.key"),
      clientAuth: {
        enabled: clientAuth.enabled ?? false,
        ...(clientAuth.mode ? { mode: clientAuth.mode } : {}),
        caCertificatesPem: clientAuth.caCertificatesPem ?? [],
        pinnedCertificatesDer: clientAuth.pinnedCertificatesDer ?? [],
        ...(clientAuth.crlsDer ? { crlsDer: clientAuth.crlsDer } : {}),
      },
    },
    ...overrides,
  };
}

export function httpListener(port: number, overrides: Partial<ListenerRuntimeConfig> = {}): ListenerRuntimeConfig {
  counter += 1;
  return { id: `lst-${counter}`, name: `http-${port}`, protocol: "HTTP", host: "127.0.0.1", port, tls: null, ...overrides };
}

/** Client credentials by test-file base name: "client" -> client.pem + client.key. */
export function clientCred(name: string, certFile = `${name}.pem`): { cert: string; key: string } {
  return { cert: testCertText(certFile), key: testCertText(`${name}.key`) };
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as the endpoint's echo. */
  json: () => EchoBody;
}

export interface Attempt {
  /** The client finished its side of the handshake. */
  handshake: boolean;
  /** Bytes of HTTP the server sent (0 = refused before any HTTP byte). */
  httpBytes: number;
  response: HttpResponse | null;
  /** Bytes that followed the first response (a refused connection must answer once, then close). */
  bytesAfterResponse: number;
  error: string | null;
  protocol: string | null;
  reused: boolean;
  /** The last session the server handed out (for resumption tests). */
  session: Buffer | null;
}

export interface ClientOptions {
  cert?: string;
  key?: string;
  session?: Buffer;
  maxVersion?: tls.SecureVersion;
  minVersion?: tls.SecureVersion;
  method?: string;
  path?: string;
  /** Extra request header lines, each ending in CRLF (e.g. a spoofed "X-Client-Cert-Verify: SUCCESS\r\n"). */
  extraHeaders?: string;
  /** Trust the listener's server certificate (signed by the test root). */
  ca?: string;
}

/** Tries to parse one HTTP/1.1 response at the start of `buffer`; null when incomplete. */
export function parseResponse(buffer: Buffer, method = "GET"): { response: HttpResponse; length: number } | null {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(head[0].split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // A response to HEAD announces the length of a body it does not carry.
  const length = method === "HEAD" ? 0 : Number(headers["content-length"] ?? 0);
  if (buffer.length < end + 4 + length) return null;
  const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
  return { response: { status, headers, body, json: () => JSON.parse(body) as EchoBody }, length: end + 4 + length };
}

/** A TLS client of the endpoint on `port`, as every test client connects: to localhost, trusting root-ca. */
function connect(port: number, options: ClientOptions): tls.TLSSocket {
  return tls.connect({
    host: "127.0.0.1",
    port,
    servername: "localhost",
    ca: options.ca ?? testCertText("root-ca.pem"),
    cert: options.cert,
    key: options.key,
    session: options.session,
    maxVersion: options.maxVersion,
    minVersion: options.minVersion,
    ALPNProtocols: ["http/1.1"],
  });
}

/** One connection, one request ("Connection: close"), everything the client observed. */
export function attempt(port: number, options: ClientOptions = {}): Promise<Attempt> {
  return new Promise((resolve) => {
    const result: Attempt = {
      handshake: false,
      httpBytes: 0,
      response: null,
      bytesAfterResponse: 0,
      error: null,
      protocol: null,
      reused: false,
      session: null,
    };
    let received = Buffer.alloc(0);
    const socket = connect(port, options);
    socket.on("session", (session: Buffer) => {
      result.session = session;
    });
    socket.on("secureConnect", () => {
      result.handshake = true;
      result.protocol = socket.getProtocol();
      result.reused = socket.isSessionReused();
      socket.write(`${options.method ?? "GET"} ${options.path ?? "/"} HTTP/1.1\r\nHost: localhost\r\n${options.extraHeaders ?? ""}Connection: close\r\n\r\n`);
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      result.error ??= error.code ?? error.message;
    });
    socket.on("close", () => {
      result.httpBytes = received.length;
      const parsed = parseResponse(received, options.method);
      result.response = parsed?.response ?? null;
      result.bytesAfterResponse = parsed ? received.length - parsed.length : 0;
      // TLS 1.3 tickets arrive after the handshake; give a late one a tick to land.
      setImmediate(() => resolve(result));
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error("client timeout")));
  });
}

/** A kept-alive HTTPS connection that can send several requests in turn. */
export class KeepAliveClient {
  private buffer = Buffer.alloc(0);
  private waiting: ((response: HttpResponse | null) => void) | null = null;
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(private readonly socket: tls.TLSSocket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.deliver();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.isClosed = true;
        this.waiting?.(null);
        this.waiting = null;
        resolve();
      }),
    );
  }

  static open(port: number, options: ClientOptions = {}): Promise<KeepAliveClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, options);
      socket.once("secureConnect", () => resolve(new KeepAliveClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends a GET and resolves with the response, or null if the connection closed first. */
  request(path = "/"): Promise<HttpResponse | null> {
    if (this.isClosed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    });
  }

  private deliver(): void {
    const parsed = parseResponse(this.buffer);
    if (!parsed || !this.waiting) return;
    this.buffer = this.buffer.subarray(parsed.length);
    const waiting = this.waiting;
    this.waiting = null;
    waiting(parsed.response);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Polls until `check` (sync or async) passes (the server records on its own side of the socket). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Plain HTTP request on a fresh connection. */
export function plainRequest(port: number, method = "GET", path = "/", host = "127.0.0.1"): Promise<HttpResponse | null> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const socket = net.connect(port, host, () => {
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.on("error", () => {});
    socket.on("close", () => resolve(parseResponse(received, method)?.response ?? null));
  });
}

/** Resolves with the error code of a TCP connect (e.g. ECONNREFUSED), or null if it connected. */
export function tcpConnectError(port: number, host = "127.0.0.1"): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(null);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/**
 * The connection log as the product receives it: the data plane's onConnection feed (which the
 * store writer persists), kept per listener, newest first. Pass `onConnection` to createDataplane.
 */
export class FeedLog {
  private readonly byListener = new Map<string, ConnectionRecord[]>();
  private readonly presented = new Map<string, { der: Buffer; chain: Buffer[] }>();

  readonly onConnection = (listenerId: string, record: ConnectionRecord): void => {
    const records = this.byListener.get(listenerId) ?? [];
    records.unshift(record);
    this.byListener.set(listenerId, records);
    // Kept per certificate, as the store keeps them for the impact preview.
    if (record.presented && record.clientCertificate) {
      this.presented.set(record.clientCertificate.fingerprintSha256, {
        der: Buffer.from(record.presented.der, "base64"),
        chain: record.presented.chain.map((cert) => Buffer.from(cert, "base64")),
      });
    }
  };

  of(listenerId: string): ConnectionRecord[] {
    return this.byListener.get(listenerId) ?? [];
  }

  /** The bytes of a certificate some record carried (null: none did, or it presented none). */
  presentedOf(record: ConnectionRecord): { der: Buffer; chain: Buffer[] } | null {
    return record.clientCertificate ? (this.presented.get(record.clientCertificate.fingerprintSha256) ?? null) : null;
  }
}

/**
 * Asserts what a client refused after the handshake sees: one 403 application/problem+json answer
 * naming the reason (and what to do), then the connection closed.
 */
export function expectRefusal(result: Attempt, reason: RefusalReason): void {
  expect(result.handshake).toBe(true);
  expect(result.response?.status).toBe(403);
  expect(result.response?.headers["content-type"]).toBe("application/problem+json");
  expect(result.response?.headers.connection).toBe("close");
  // Exactly one answer: nothing follows the problem body.
  expect(result.bytesAfterResponse).toBe(0);
  expect(result.response!.body.endsWith("\n")).toBe(true);
  expect(JSON.parse(result.response!.body)).toEqual({
    type: "urn:certgate:problem:client-certificate-refused",
    title: "Client certificate refused",
    status: 403,
    reason,
    detail: expect.stringContaining(`(${reason})`),
  });
}
