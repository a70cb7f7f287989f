// The console's HTTP server: Next's request handler behind a thin guard (lib/http/console-request-guard.ts)
// for what Next itself would answer with a bare 500 or an HTML page, and the one place that knows
// the TCP peer (for CERTGATE_TRUSTED_PROXIES) and the TLS peer's certificate. Beside it, unless
// CERTGATE_API_MTLS_PORT=0, the API's client-certificate port: HTTPS, /api/v1 only, each request
// stamped with the presented certificate for lib/auth, through the same path into Next.
// Built to dist/console.js by scripts/build-server.mjs; `npm start` runs it.
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { readSettings } from "../lib/config";
import type { Dataplane } from "../lib/dataplane";
import { clientCertificateHeaderValue, isServedOnApiMtlsPort, notServedOnApiMtlsPort } from "../lib/http/api-mtls-port";
import {
  CLIENT_CERTIFICATE_HEADER,
  inspectRawRequest,
  PEER_ADDRESS_HEADER,
  REFUSED_METHOD_HEADER,
  SERVER_SET_HEADERS,
} from "../lib/http/console-request-guard";
import { loadApiTlsCredentials, type ApiTlsCredentials } from "../lib/services/api-tls-credentials";

const log = (line: string) => console.log(`[certgate] ${line}`);

type NextHandle = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;

async function main(): Promise<void> {
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number from 1 to 65535, got "${process.env.PORT}".`);
  const settings = readSettings();
  const apiMtlsPort = settings.apiMtlsPort ?? 0;
  if (apiMtlsPort === port) {
    throw new Error(`CERTGATE_API_MTLS_PORT and PORT are both ${port}; give the API's client-certificate port another number, or CERTGATE_API_MTLS_PORT=0 to turn it off.`);
  }
  // Before Next starts, so a wrong CERTGATE_API_MTLS_CERTIFICATE stops the start at once.
  const apiTls = apiMtlsPort ? await loadApiTlsCredentials(settings) : null;

  // Next decides production mode from NODE_ENV when it is loaded, so set it before the import.
  (process.env as Record<string, string>).NODE_ENV ||= "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  const handle: NextHandle = app.getRequestHandler();
  await app.prepare();

  const listeningAt = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const server = http.createServer(serveThroughNext(handle));
  answerUnreadableRequests(server);
  await listen(server, host, port, "PORT");
  log(`console at ${listeningAt}`);

  // Where the client-certificate port's 404 sends people who opened a page there.
  const consoleUrl = process.env.CERTGATE_PUBLIC_URL || listeningAt;

  const apiServer = apiTls ? await startApiMtlsServer(apiTls, handle, host, apiMtlsPort, consoleUrl) : null;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: stopping`);
    for (const each of [server, apiServer]) {
      each?.close();
      each?.closeAllConnections();
    }
    void closeRuntime().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/**
 * The API's client-certificate port. Every client is asked for a certificate, and any certificate
 * is let through the handshake (rejectUnauthorized: false): trust comes from a user's binding of
 * that exact certificate, which lib/auth checks on each request, so self-signed ones must reach it.
 * TLS session resumption stays on: a resumed session carries the peer certificate it was made
 * with (TLS 1.2 and 1.3; checked in lib/http/api-mtls-port.test.ts), and the binding is decided
 * per request anyway, so resumption cannot outlive a removed binding.
 */
async function startApiMtlsServer(credentials: ApiTlsCredentials, handle: NextHandle, host: string, port: number, consoleUrl: string): Promise<https.Server> {
  const server = https.createServer(
    {
      cert: credentials.certificatePem,
      key: credentials.privateKeyPem,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    },
    serveThroughNext(handle, { consoleUrl }),
  );
  answerUnreadableRequests(server);
  await listen(server, host, port, "CERTGATE_API_MTLS_PORT");
  const where = `https://${host.includes(":") ? `[${host}]` : host}:${port}/api/v1`;
  const source = credentials.source;
  log(
    source.kind === "stored"
      ? `API for client certificates at ${where}, presenting the server certificate "${source.name}"`
      : `API for client certificates at ${where}; its server certificate is for localhost, 127.0.0.1 and ::1, signed by the CA in ${source.caFile} (curl --cacert)`,
  );
  return server;
}

/**
 * The one way a request reaches Next, on either port: headers only the server may set are dropped
 * and set anew, the raw-request guard runs, then Next's handler. `apiOnly` (the client-certificate
 * port) serves /api/v1 alone and stamps the certificate the client presented.
 */
function serveThroughNext(handle: NextHandle, apiOnly?: { consoleUrl: string }): http.RequestListener {
  return (request, response) => {
    for (const name of SERVER_SET_HEADERS) delete request.headers[name];
    if (apiOnly) {
      if (!isServedOnApiMtlsPort(request.url ?? "/", request.headers)) {
        sendProblem(response, notServedOnApiMtlsPort(apiOnly.consoleUrl));
        return;
      }
      // Read from the socket for every request, never remembered per connection: a kept-alive or
      // resumed connection is re-decided by lib/auth each time, and a TLS 1.2 renegotiation may
      // change the certificate mid-connection. (getPeerX509Certificate: the same DER as
      // getPeerCertificate().raw, without building the parsed object; ~6 µs with the hash, not ~19.)
      const presented = (request.socket as TLSSocket).getPeerX509Certificate?.();
      request.headers[CLIENT_CERTIFICATE_HEADER] = clientCertificateHeaderValue(presented?.raw);
    }
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    const decision = inspectRawRequest(request.method ?? "GET", request.url ?? "/");
    if (decision.kind === "refuse") {
      if (decision.api) {
        sendProblem(response, { type: "about:blank", title: decision.title, status: decision.status, detail: decision.detail, errors: [] }, decision.allow);
      } else {
        response.writeHead(decision.status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...(decision.allow ? { allow: decision.allow } : {}) });
        response.end(`${decision.detail}\n`);
      }
      return;
    }
    if (decision.kind === "refused-method") {
      request.method = "OPTIONS";
      request.headers[REFUSED_METHOD_HEADER] = decision.method;
    }
    handle(request, response).catch((error: unknown) => {
      console.error("[certgate] unexpected error while serving a request:", (error as Error)?.stack ?? error);
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end("Internal Server Error\n");
    });
  };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: unknown[];
}

function sendProblem(response: http.ServerResponse, problem: Problem, allow?: string): void {
  response.writeHead(problem.status, {
    "content-type": "application/problem+json; charset=utf-8",
    "cache-control": "no-store",
    ...(allow ? { allow } : {}),
  });
  response.end(JSON.stringify(problem));
}

/**
 * Requests Node's HTTP parser refuses (a method token it does not know, such as TRACK, or a
 * malformed request line) and CONNECT never reach a handler: answer them as problems too.
 */
function answerUnreadableRequests(server: http.Server | https.Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) return socket.destroy();
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    const detail = tooLarge ? "The request headers are too large; send fewer or shorter headers." : "The request could not be read as HTTP/1.1; check the request line and headers.";
    socket.end(rawProblem(status, tooLarge ? "Request Header Fields Too Large" : "Bad Request", detail));
  });
  server.on("connect", (_request, socket) => {
    socket.end(rawProblem(405, "Method Not Allowed", "CONNECT is not supported; certgate's console is not a proxy.", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"));
  });
}

/** Listens, or fails the start with a message that names the variable to change. */
async function listen(server: http.Server | https.Server, host: string, port: number, variable: "PORT" | "CERTGATE_API_MTLS_PORT"): Promise<void> {
  const orOff = variable === "CERTGATE_API_MTLS_PORT" ? `, or ${variable}=0 to turn the API's client-certificate port off` : "";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") throw new Error(`port ${port} on ${host} (${variable}) is already in use; stop what holds it or start with ${variable}=<another port>${orOff}.`);
    if (error.code === "EACCES") throw new Error(`no permission to listen on ${host}:${port} (${variable}); use a port above 1023 or run with the right privileges${orOff}.`);
    throw error;
  });
}

/** A whole HTTP/1.1 problem response, for sockets no request handler owns. */
function rawProblem(status: number, title: string, detail: string, allow?: string): string {
  const body = JSON.stringify({ type: "about:blank", title, status, detail, errors: [] });
  const allowLine = allow ? `allow: ${allow}\r\n` : "";
  return `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json; charset=utf-8\r\n${allowLine}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** The runtime lives on globalThis (lib/services/runtime.ts); its data plane child must stop with us. */
async function closeRuntime(): Promise<void> {
  const holder = globalThis as { [key: symbol]: Promise<{ dataplane: Dataplane }> | undefined };
  const runtime = await holder[Symbol.for("certgate.runtime")]?.catch(() => undefined);
  await runtime?.dataplane.close().catch(() => undefined);
}

main().catch((error: unknown) => {
  console.error(`[certgate] cannot start: ${(error as Error).message}`);
  process.exit(1);
});
