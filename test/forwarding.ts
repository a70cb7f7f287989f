// Clients for the forwarding tests: node:http / node:https requests to a listener (with mTLS
// credentials, spoofed headers, streamed bodies) and a minimal WebSocket client handshake.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import tls from "node:tls";
import { testCertText } from "./certs";

export interface ForwardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: Buffer;
  /** mTLS credentials; absent on an HTTPS listener: no client certificate. */
  cert?: string;
  key?: string;
  agent?: http.Agent | false;
}

/** One request to a listener (HTTPS when `tls` is true), the whole answer read. */
export function request(port: number, secure: boolean, options: RequestOptions = {}): Promise<ForwardedResponse> {
  return new Promise((resolve, reject) => {
    const common = { host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path ?? "/", headers: options.headers, agent: options.agent ?? false };
    const req = secure
      ? https.request({ ...common, servername: "localhost", ca: testCertText("root-ca.pem"), cert: options.cert, key: options.key })
      : http.request(common);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("client timeout")));
    req.end(options.body);
  });
}

/** The RFC 6455 Sec-WebSocket-Accept of a key. */
export function websocketAccept(key: string): string {
  return createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
}

/** A text frame (FIN, opcode 1), masked when a client sends it; payloads under 126 bytes. */
export function websocketFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (!masked) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const mask = randomBytes(4);
  const out = Buffer.alloc(6 + payload.length);
  out[0] = 0x81;
  out[1] = 0x80 | payload.length;
  mask.copy(out, 2);
  for (let i = 0; i < payload.length; i++) out[6 + i] = payload[i] ^ mask[i % 4];
  return out;
}

/** The text of one complete frame at the start of `buffer` (short payloads), or null. */
export function readWebsocketFrame(buffer: Buffer): string | null {
  if (buffer.length < 2) return null;
  const masked = (buffer[1] & 0x80) !== 0;
  const length = buffer[1] & 0x7f;
  const start = 2 + (masked ? 4 : 0);
  if (buffer.length < start + length) return null;
  const payload = Buffer.from(buffer.subarray(start, start + length));
  if (masked) for (let i = 0; i < length; i++) payload[i] ^= buffer[2 + (i % 4)];
  return payload.toString("utf8");
}

/** Makes a node:http server a WebSocket echo: completes the handshake, echoes each text frame. */
export function serveWebsocketEcho(server: http.Server, seen: http.IncomingMessage[]): void {
  server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(req);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${websocketAccept(String(req.headers["sec-websocket-key"]))}\r\n\r\n`,
    );
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const text = readWebsocketFrame(buffer);
      if (text !== null) {
        buffer = Buffer.alloc(0);
        socket.write(websocketFrame(`echo: ${text}`, false));
      }
    });
    socket.on("error", () => undefined);
  });
}

/** Opens a WebSocket through an HTTPS listener, sends one text frame, resolves with the 101 head and the echoed text. */
export function websocketRoundTrip(port: number, credentials: { cert: string; key: string }, text: string): Promise<{ head: string; echoed: string }> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString("base64");
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: testCertText("root-ca.pem"), ...credentials });
    let buffer = Buffer.alloc(0);
    let head: string | null = null;
    socket.on("secureConnect", () => {
      socket.write(
        `GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nX-Client-Cert-Verify: SUCCESS\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (head === null) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        head = buffer.subarray(0, end).toString("latin1");
        buffer = buffer.subarray(end + 4);
        if (!head.startsWith("HTTP/1.1 101") || !head.includes(`Sec-WebSocket-Accept: ${websocketAccept(key)}`)) {
          socket.destroy();
          reject(new Error(`no upgrade: ${head}`));
          return;
        }
        socket.write(websocketFrame(text, true));
      }
      const echoed = readWebsocketFrame(buffer);
      if (echoed !== null) {
        socket.destroy();
        resolve({ head, echoed });
      }
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error("websocket timeout")));
  });
}
