// Forwarding: a connection the endpoint accepted (and, for TLS, verified and let in) is parsed by
// node:http (one Server per data plane, never listening: sockets are handed to it with
// emit("connection")) and each request is sent to a member of the listener's pool over that
// member's keep-alive undici Pool, bodies streamed both ways with backpressure.
//
// Errors (application/problem+json, see docs/design.md "Forwarding"): no member left in service
// → 503; a member that refuses, resets or breaks the answer → 502; a member that does not connect or
// answer in time → 504. A request without a body whose member could not be connected to (nothing
// was sent) is tried on the next member, as nginx's proxy_next_upstream error does; one with a
// body is not (its bytes may already be on their way).
//
// WebSocket (any Upgrade) requests are passed through as a raw byte pipe to the member after
// the same header treatment; the member's own answer (101 or not) reaches the client as sent.
import http from "node:http";
import net from "node:net";
import type tls from "node:tls";
import type { Dispatcher } from "undici";
import type { Deadlines } from "./deadlines";
import { HEADERS_TIMEOUT_MS, HEAD_TOO_LARGE, KEEP_ALIVE_TIMEOUT_MS, MAX_HEAD_BYTES, problem, type HttpProblem } from "./echo";
import { forwardIdentity, memberRequestHeaders, clientResponseHeaders, type ForwardIdentity } from "./forward-headers";
import type { PeerInfo } from "./peer-summary";
import type { MemberSlot, PoolRuntime } from "./pools";
import type { ConnectionReason } from "./types";

export interface ForwardTimeouts {
  /** Establishing a connection to a member (undici's connectTimeout). */
  readonly connectMs: number;
  /** From the request sent to the member's status line and headers (nginx's proxy_read_timeout is 60 s). */
  readonly headersMs: number;
  /** The longest silence within a response body. */
  readonly bodyIdleMs: number;
}

export const DEFAULT_FORWARD_TIMEOUTS: ForwardTimeouts = Object.freeze({ connectMs: 5_000, headersMs: 60_000, bodyIdleMs: 60_000 });


/** Where a connection's requests go: the endpoint's current pool, read at each request. */
export interface PoolSource {
  readonly pool: PoolRuntime | null;
}

/** What a forwarded connection carries (hangs off its socket). */
export interface ForwardConnection {
  readonly source: PoolSource;
  readonly remoteAddress: string;
  readonly peer: PeerInfo | null;
  readonly verdict: ConnectionReason | null;
  /** Computed on the first request (the chain read costs tens of µs), then reused. */
  identity: ForwardIdentity | null;
}

const kForward = Symbol("certgate.forward");
type ForwardSocket = net.Socket & { [kForward]?: ForwardConnection };

/** Errors that mean the member never got the request: another member may take it. */
const NOT_SENT = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

const BAD_TARGET = problem(400, "Bad Request", { detail: "The request target must be a path starting with /; send origin-form requests (GET /path)." });

function noMember(pool: PoolRuntime | null): HttpProblem {
  if (!pool) return problem(503, "Service Unavailable", { type: "urn:certgate:problem:no-pool", detail: "This listener no longer forwards to a pool; reconnect to reach what it serves now." });
  return problem(503, "Service Unavailable", {
    type: "urn:certgate:problem:no-member-available",
    title: "No backend available",
    detail: `No member of pool "${pool.name}" is in service (all fail their health check); start the service or fix its health check, then retry.`,
    pool: pool.name,
  });
}

function memberFailed(pool: PoolRuntime, member: MemberSlot, error: Error): HttpProblem {
  const code = (error as { code?: string }).code ?? error.name;
  if (TIMEOUTS.has(code)) {
    return problem(504, "Gateway Timeout", {
      type: "urn:certgate:problem:member-timeout",
      title: "Backend timed out",
      detail: `Member ${member.key} of pool "${pool.name}" did not ${code === "UND_ERR_CONNECT_TIMEOUT" ? "accept the connection" : "answer"} in time; check that the service is up and not overloaded.`,
      pool: pool.name,
    });
  }
  return problem(502, "Bad Gateway", {
    type: "urn:certgate:problem:member-failed",
    title: "Backend failed",
    detail: `Member ${member.key} of pool "${pool.name}" failed to answer (${code}); check that the service is running and accepts connections.`,
    pool: pool.name,
  });
}

function sendProblem(res: http.ServerResponse, answer: HttpProblem, close: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(Number.parseInt(answer.status, 10), answer.status.slice(4), {
    "content-type": "application/problem+json",
    "content-length": answer.body.length,
    ...(close ? { connection: "close" } : {}),
  });
  res.end(answer.body);
}

function rawProblem(socket: net.Socket, answer: HttpProblem): void {
  socket.end(`HTTP/1.1 ${answer.status}\r\ncontent-type: application/problem+json\r\ncontent-length: ${answer.body.length}\r\nconnection: close\r\n\r\n${answer.body.toString("latin1")}`, "latin1");
}

function identityOf(socket: ForwardSocket, connection: ForwardConnection): ForwardIdentity {
  return (connection.identity ??= forwardIdentity(
    connection.remoteAddress,
    "encrypted" in socket && (socket as tls.TLSSocket).encrypted ? (socket as tls.TLSSocket) : null,
    connection.peer,
    connection.verdict,
  ));
}

/** One request on its way to a member and back: undici's dispatch handler. */
class Exchange implements Dispatcher.DispatchHandlers {
  private member: MemberSlot | null = null;
  private abortUpstream: ((error?: Error) => void) | null = null;
  private resumeUpstream: (() => void) | null = null;
  private finished = false;
  private tried = 0;

  constructor(
    private readonly forwarder: Forwarder,
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly pool: PoolRuntime,
    private readonly headers: string[],
    private readonly hasBody: boolean,
  ) {
    res.on("close", this.onClientClose);
    if (hasBody) req.on("error", this.onClientClose);
  }

  send(member: MemberSlot): void {
    this.member = member;
    this.tried += 1;
    member.backend.active += 1;
    const timeouts = this.forwarder.timeouts;
    try {
      member.backend.client.dispatch(
        {
          path: this.req.url!,
          method: this.req.method as Dispatcher.HttpMethod,
          headers: this.headers,
          body: this.hasBody ? this.req : null,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyIdleMs,
        },
        this,
      );
    } catch (error) {
      // Refused before anything was sent: give the member's slot back once (the client's close must not again).
      this.release();
      throw error;
    }
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.finished) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.finished) return false;
    this.resumeUpstream = resume;
    this.res.writeHead(statusCode, statusText || undefined, clientResponseHeaders(rawHeaders));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.finished) return false;
    if (this.res.write(chunk)) return true;
    // The client reads slower than the member writes: undici stops reading the member until drained.
    this.res.once("drain", this.onClientDrain);
    return false;
  }

  onComplete(): void {
    this.release();
    this.res.end();
  }

  onError(error: Error): void {
    const member = this.member!;
    this.release();
    if (this.res.headersSent || this.res.destroyed) {
      // The answer had started: the client can only learn of it by the connection breaking.
      this.res.destroy();
      return;
    }
    const code = (error as { code?: string }).code ?? "";
    if (!this.hasBody && NOT_SENT.has(code) && IDEMPOTENT.has(this.req.method!) && this.tried < this.pool.members.length) {
      const next = this.forwarder.pickOther(this.pool, member);
      if (next) {
        this.finished = false;
        this.send(next);
        return;
      }
    }
    sendProblem(this.res, memberFailed(this.pool, member, error), this.hasBody);
  }

  private release(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.member) this.member.backend.active -= 1;
  }

  private readonly onClientDrain = (): void => {
    this.resumeUpstream?.();
  };

  private readonly onClientClose = (): void => {
    if (this.finished) return;
    // The client went away before the answer was complete: stop the member's side too.
    this.release();
    this.abortUpstream?.(new Error("client closed the connection"));
  };
}

export class Forwarder {
  private readonly server: http.Server;

  constructor(
    readonly timeouts: ForwardTimeouts,
    private readonly deadlines: Deadlines,
    private readonly log: (line: string) => void,
  ) {
    this.server = http.createServer(
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        // Uploads stream for as long as they move; a whole-request limit would cut large ones.
        requestTimeout: 0,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
        // The request head limit the echo has too.
        maxHeaderSize: MAX_HEAD_BYTES,
      },
      this.onRequest,
    );
    this.server.on("upgrade", this.onUpgrade);
    this.server.on("clientError", onClientError);
    // A server that never listens does not start the check of headersTimeout on its own
    // (node:http starts it on "listening"): start it, it is unref'd.
    this.server.emit("listening");
  }

  /** Hands an accepted (and, for TLS, verified) connection over to the HTTP parser. */
  handOver(socket: net.Socket, connection: ForwardConnection): void {
    (socket as ForwardSocket)[kForward] = connection;
    // From here node:http keeps the connection's time limits (head, keep-alive idle).
    this.deadlines.clear(socket);
    this.server.emit("connection", socket);
  }

  close(): void {
    // Stops the head-timeout sweep; the connections themselves belong to their endpoints.
    this.server.close(() => undefined);
  }

  /** Another member than `failed` to retry on, if the pool has one in service. */
  pickOther(pool: PoolRuntime, failed: MemberSlot): MemberSlot | null {
    for (let i = 0; i < pool.members.length; i++) {
      const next = pool.pick();
      if (!next) return null;
      if (next !== failed) return next;
    }
    return null;
  }

  private readonly onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const socket = req.socket as ForwardSocket;
    const connection = socket[kForward];
    if (!connection) {
      res.destroy();
      return;
    }
    const pool = connection.source.pool;
    const url = req.url ?? "";
    if (url.charCodeAt(0) !== 47 /* "/" */) {
      sendProblem(res, BAD_TARGET, true);
      return;
    }
    const member = pool?.pick() ?? null;
    const hasBody = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
    if (!pool || !member) {
      sendProblem(res, noMember(pool), hasBody || !pool);
      return;
    }
    const headers = memberRequestHeaders(req.rawHeaders, req.headers.connection, req.headers.host, identityOf(socket, connection), null);
    try {
      new Exchange(this, req, res, pool, headers, hasBody).send(member);
    } catch (error) {
      // undici refuses a request it cannot send (e.g. an invalid header value): the client's fault.
      this.log(`forwarding to ${member.key} refused: ${(error as Error)?.message}`);
      sendProblem(res, problem(400, "Bad Request", { detail: "The request cannot be forwarded as sent; check its method and headers." }), true);
    }
  };

  private readonly onUpgrade = (req: http.IncomingMessage, socket: net.Socket, head: Buffer): void => {
    const connection = (socket as ForwardSocket)[kForward];
    const pool = connection?.source.pool ?? null;
    const member = pool?.pick() ?? null;
    socket.on("error", ignore);
    if (!connection || !pool || !member) {
      rawProblem(socket, noMember(pool));
      return;
    }
    const headers = memberRequestHeaders(req.rawHeaders, req.headers.connection, req.headers.host, identityOf(socket as ForwardSocket, connection), req.headers.upgrade ?? "websocket");
    let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) lines += `${headers[i]}: ${headers[i + 1]}\r\n`;
    lines += "\r\n";
    member.backend.active += 1;
    const upstream = net.connect({ host: member.address, port: member.port, noDelay: true });
    let connected = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      member.backend.active -= 1;
    };
    upstream.setTimeout(this.timeouts.connectMs, () => {
      if (connected) return;
      release();
      upstream.destroy();
      rawProblem(socket, memberFailed(pool, member, Object.assign(new Error("connect timeout"), { code: "UND_ERR_CONNECT_TIMEOUT" })));
    });
    upstream.on("connect", () => {
      connected = true;
      upstream.setTimeout(0);
      upstream.write(lines, "latin1");
      if (head.length > 0) upstream.write(head);
      // Both directions with backpressure; either side ending ends the other.
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.on("error", (error) => {
      release();
      if (!connected) rawProblem(socket, memberFailed(pool, member, error));
      else socket.destroy();
    });
    upstream.on("close", () => {
      release();
      if (connected) socket.destroy();
    });
    socket.on("close", () => upstream.destroy());
  };
}

function ignore(): void {}

const HEAD_TOO_SLOW = problem(408, "Request Timeout", { detail: "The request head did not arrive within 15 s; send the whole head at once." });
const NOT_HTTP = problem(400, "Bad Request", { detail: "The request is not valid HTTP/1.1; check what the client sends." });

function onClientError(error: NodeJS.ErrnoException, socket: net.Socket): void {
  // A malformed request (node:http's parser refused it): 400 or 431, then close, as the echo does.
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  let answer: HttpProblem;
  if (error.code === "HPE_HEADER_OVERFLOW") answer = HEAD_TOO_LARGE;
  else if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") answer = HEAD_TOO_SLOW;
  else answer = NOT_HTTP;
  rawProblem(socket, answer);
}
