// The HTTP side of an endpoint: a JSON echo of what the endpoint verified for this connection,
// including the headers an application behind the load balancer would receive about the client.
//
// Why not node:http: the endpoint answers one thing — GET/HEAD of the echo, the same bytes for every
// request of a connection — and node:http's per-request machinery (IncomingMessage, ServerResponse,
// header validation, streams) cost ~3× the server CPU of nginx per kept-alive request here
// (bench/dataplane.bench.ts (b)). This is the HTTP/1.1 subset the echo needs, strict and bounded:
// request line + headers up to 16 KiB within 15 s, keep-alive (HTTP/1.1 by default, HTTP/1.0 on
// request) with pipelining and back-pressure, a 5 s idle limit, and no request bodies (a request
// that announces one is answered and the connection closed, so no body byte is ever read as a request).
// A connection whose client was refused (refusal.ts) gets one answer, the 403 naming the reason, and
// is closed. The client-certificate headers come from the handshake only: the request's own
// headers (a client's X-Client-Cert-* copies included) are never read into the echo. Every JSON body ends with a newline, so a terminal prompt starts on its own line.
import type net from "node:net";
import tls from "node:tls";
import type { Deadlines } from "./deadlines";
import { NO_CLIENT_CERT_HEADERS, type ClientCertHeaders, type PeerInfo } from "./peer-summary";
import type { ConnectionReason, PeerCertificateSummary } from "./types";

/** The JSON body of `GET /` on an endpoint. */
export interface EchoBody {
  listener: { id: string; name: string };
  tls: { protocol: string | null; cipher: string } | null;
  clientCertificate: PeerCertificateSummary | null;
  headers: ClientCertHeaders;
}

/** Per-connection facts, known when the endpoint hands the connection over. */
export interface ConnectionContext {
  readonly listener: { readonly id: string; readonly name: string };
  /** The client certificate presented (verified or not); null when none was asked for or sent. */
  readonly peer: PeerInfo | null;
  /** The verification verdict; null when no certificate was asked for (client auth off, HTTP). */
  readonly verdict: ConnectionReason | null;
  /** Set when the client was refused: the one answer the connection gets, whatever it asks. */
  readonly refusal?: HttpProblem;
}

/** A prebuilt error answer: its status line and its application/problem+json body. */
export interface HttpProblem {
  readonly status: string;
  readonly body: Buffer;
}

/** The request-head limits of every endpoint connection, echoed or forwarded. */
export const MAX_HEAD_BYTES = 16 * 1024;
export const HEADERS_TIMEOUT_MS = 15_000;
/** How long a connection may stay idle between requests (and before the first one). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const END_OF_HEAD = Buffer.from("\r\n\r\n");
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) [^\s]+ HTTP\/1\.([01])$/;

const METHOD_NOT_ALLOWED = problem(405, "Method Not Allowed", { detail: "The endpoint answers GET and HEAD only; send a GET request." });
const BAD_REQUEST = problem(400, "Bad Request", { detail: "The request is not valid HTTP/1.1; send a GET request." });
export const HEAD_TOO_LARGE = problem(431, "Request Header Fields Too Large", {
  detail: "The request headers are larger than 16 KiB; send fewer or shorter headers.",
});

/** An RFC 9457 problem answer; `type` defaults to about:blank and `title` to the status text. */
export function problem(
  status: number,
  statusText: string,
  fields: { detail: string; type?: string; title?: string; [extension: string]: unknown },
): HttpProblem {
  const { type = "about:blank", title = statusText, detail, ...extensions } = fields;
  return { status: `${status} ${statusText}`, body: jsonBody({ type, title, status, detail, ...extensions }) };
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value)}\n`);
}

function echoBody(context: ConnectionContext, socket: net.Socket): Buffer {
  let tlsInfo: EchoBody["tls"] = null;
  if (socket instanceof tls.TLSSocket) {
    const cipher = socket.getCipher();
    tlsInfo = { protocol: socket.getProtocol(), cipher: cipher?.standardName ?? cipher?.name ?? "" };
  }
  const body: EchoBody = {
    listener: { id: context.listener.id, name: context.listener.name },
    tls: tlsInfo,
    clientCertificate: context.peer ? context.peer.summary : null,
    headers: clientCertHeaders(context.peer, context.verdict),
  };
  return jsonBody(body);
}

/**
 * X-Client-Cert-Verify as nginx and the issue name it: SUCCESS (verified), NONE (none asked for or
 * none sent) or FAILED:<connection-log reason> (optional mode only: required mode refuses those);
 * the certificate headers only when one was presented.
 */
export function clientCertHeaders(peer: PeerInfo | null, verdict: ConnectionReason | null): ClientCertHeaders {
  if (verdict === null || verdict === "no_certificate" || (verdict === "ok" && !peer)) return NO_CLIENT_CERT_HEADERS;
  if (verdict === "ok") return peer!.headers;
  return { ...(peer?.headers ?? NO_CLIENT_CERT_HEADERS), "X-Client-Cert-Verify": `FAILED:${verdict}` };
}

/** The Date header value, formatted at most once a second for every connection. */
let httpDate = "";
let httpDateUntil = 0;
function currentHttpDate(): string {
  const now = Date.now();
  if (now >= httpDateUntil) {
    httpDate = new Date(now).toUTCString();
    httpDateUntil = now - (now % 1000) + 1000;
  }
  return httpDate;
}

interface Request {
  method: string;
  keepAlive: boolean;
  /** Announces a body (Content-Length > 0 or Transfer-Encoding): the connection closes after the answer. */
  hasBody: boolean;
}

/** Parses a request head (without the final CRLFCRLF); null when it is not HTTP/1.x. */
function parseHead(head: string): Request | null {
  const lines = head.split("\r\n");
  const requestLine = REQUEST_LINE.exec(lines[0]);
  if (!requestLine) return null;
  let connection = "";
  let hasBody = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === "connection") connection += `,${line.slice(colon + 1).toLowerCase()}`;
    else if (name === "transfer-encoding") hasBody = true;
    else if (name === "content-length") {
      const value = line.slice(colon + 1).trim();
      if (!/^\d+$/.test(value)) return null;
      if (Number(value) > 0) hasBody = true;
    }
  }
  const tokens = connection.split(",").map((token) => token.trim());
  const keepAlive = requestLine[2] === "1" ? !tokens.includes("close") : tokens.includes("keep-alive");
  return { method: requestLine[1], keepAlive, hasBody };
}

function response(status: string, headers: string, body: Buffer | null, keepAlive: boolean, contentLength: number): Buffer {
  const head =
    `HTTP/1.1 ${status}\r\n${headers}content-length: ${contentLength}\r\ndate: ${currentHttpDate()}\r\n` +
    `connection: ${keepAlive ? "keep-alive" : "close"}\r\n\r\n`;
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(head, "latin1") + (body?.length ?? 0));
  const written = bytes.write(head, 0, "latin1");
  if (body) body.copy(bytes, written);
  return bytes;
}

/** Serves the echo on a connection the endpoint accepted (and, for TLS, verified). */
export function serveEcho(socket: net.Socket, context: ConnectionContext, deadlines: Deadlines): void {
  const connection = new EchoConnection(socket, context, deadlines);
  (socket as SocketWithEcho)[kEcho] = connection;
  deadlines.set(socket, KEEP_ALIVE_TIMEOUT_MS);
  socket.on("data", onEchoData);
}

const kEcho = Symbol("certgate.echo");
type SocketWithEcho = net.Socket & { [kEcho]?: EchoConnection };

// A listener shared by every connection (its state hangs off the socket): no closures to allocate per connection.
function onEchoData(this: SocketWithEcho, chunk: Buffer): void {
  this[kEcho]?.receive(chunk);
}

function onEchoDrain(this: SocketWithEcho): void {
  this.resume();
}

class EchoConnection {
  private body: Buffer | null = null;
  private pending: Buffer | null = null;
  /** A request head has started arriving and must be complete by its deadline. */
  private headStarted = false;
  private done = false;
  // The GET answer is the same bytes for a second (until the Date changes): built once, reused.
  private cachedGet: Buffer | null = null;
  private cachedGetDate = "";

  constructor(
    private readonly socket: net.Socket,
    private readonly context: ConnectionContext,
    private readonly deadlines: Deadlines,
  ) {}

  receive(chunk: Buffer): void {
    if (this.done) return;
    let buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    for (;;) {
      const end = buffer.indexOf(END_OF_HEAD);
      if (end < 0 || end > MAX_HEAD_BYTES) {
        if (end > MAX_HEAD_BYTES || buffer.length > MAX_HEAD_BYTES) return this.refuse(HEAD_TOO_LARGE);
        this.pending = buffer;
        if (!this.headStarted) {
          this.headStarted = true;
          this.deadlines.set(this.socket, HEADERS_TIMEOUT_MS);
        }
        return;
      }
      const request = parseHead(buffer.toString("latin1", 0, end));
      if (!request) return this.refuse(BAD_REQUEST);
      this.headStarted = false;
      if (!this.answer(request)) return;
      if (end + 4 === buffer.length) break;
      buffer = buffer.subarray(end + 4);
    }
    this.deadlines.set(this.socket, KEEP_ALIVE_TIMEOUT_MS);
  }

  /** Writes the answer; false when the connection closes after it. */
  private answer(request: Request): boolean {
    if (this.context.refusal) {
      this.refuse(this.context.refusal, request.method === "HEAD");
      return false;
    }
    const keepAlive = request.keepAlive && !request.hasBody;
    let bytes: Buffer;
    if (request.method === "GET" || request.method === "HEAD") {
      const body = (this.body ??= echoBody(this.context, this.socket));
      const date = currentHttpDate();
      if (request.method === "GET" && keepAlive && this.cachedGet !== null && this.cachedGetDate === date) bytes = this.cachedGet;
      else {
        bytes = response("200 OK", "content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n", request.method === "GET" ? body : null, keepAlive, body.length);
        if (request.method === "GET" && keepAlive) [this.cachedGet, this.cachedGetDate] = [bytes, date];
      }
    } else {
      const answer = METHOD_NOT_ALLOWED;
      bytes = response(answer.status, "allow: GET, HEAD\r\ncontent-type: application/problem+json\r\n", answer.body, keepAlive, answer.body.length);
    }
    if (!keepAlive) {
      this.finish(bytes);
      return false;
    }
    if (!this.socket.write(bytes)) {
      // The client is not reading its answers: stop reading its requests until it does.
      this.socket.pause();
      this.socket.once("drain", onEchoDrain);
    }
    return true;
  }

  /** Answers with an error and closes; a refused connection gets its refusal whatever went wrong. */
  private refuse(answer: HttpProblem, headOnly = false): void {
    const sent = this.context.refusal ?? answer;
    this.finish(response(sent.status, "content-type: application/problem+json\r\n", headOnly ? null : sent.body, false, sent.body.length));
  }

  private finish(bytes: Buffer): void {
    this.done = true;
    this.pending = null;
    this.socket.end(bytes);
  }
}
