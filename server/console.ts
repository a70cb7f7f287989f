// The console's HTTP server: Next's request handler behind a thin guard (lib/http/console-request-guard.ts)
// for what Next itself would answer with a bare 500 or an HTML page, and the one place that knows
// the TCP peer (for CERTGATE_TRUSTED_PROXIES). Built to dist/console.js by scripts/build-server.mjs;
// `npm start` runs it.
import http from "node:http";
import type { Dataplane } from "../lib/dataplane";
import {
  inspectRawRequest,
  PEER_ADDRESS_HEADER,
  REFUSED_METHOD_HEADER,
  SERVER_SET_HEADERS,
} from "../lib/http/console-request-guard";

const log = (line: string) => console.log(`[certgate] ${line}`);

async function main(): Promise<void> {
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number from 1 to 65535, got "${process.env.PORT}".`);
  // Next decides production mode from NODE_ENV when it is loaded, so set it before the import.
  (process.env as Record<string, string>).NODE_ENV ||= "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    for (const name of SERVER_SET_HEADERS) delete request.headers[name];
    const decision = inspectRawRequest(request.method ?? "GET", request.url ?? "/");
    if (decision.kind === "refuse") {
      const body = decision.api
        ? JSON.stringify({ type: "about:blank", title: decision.title, status: decision.status, detail: decision.detail, errors: [] })
        : `${decision.detail}\n`;
      response.writeHead(decision.status, {
        "content-type": decision.api ? "application/problem+json; charset=utf-8" : "text/plain; charset=utf-8",
        "cache-control": "no-store",
        ...(decision.allow ? { allow: decision.allow } : {}),
      });
      response.end(body);
      return;
    }
    if (decision.kind === "refused-method") {
      request.method = "OPTIONS";
      request.headers[REFUSED_METHOD_HEADER] = decision.method;
    }
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    handle(request, response).catch((error: unknown) => {
      console.error("[certgate] unexpected error while serving a request:", (error as Error)?.stack ?? error);
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end("Internal Server Error\n");
    });
  });

  // Requests Node's HTTP parser refuses (a method token it does not know, such as TRACK, or a
  // malformed request line) and CONNECT never reach a handler: answer them as problems too.
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

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") throw new Error(`port ${port} on ${host} is already in use; stop what holds it or start with PORT=<another port>.`);
    if (error.code === "EACCES") throw new Error(`no permission to listen on ${host}:${port}; use a port above 1023 or run with the right privileges.`);
    throw error;
  });
  log(`console at http://${host.includes(":") ? `[${host}]` : host}:${port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: stopping`);
    server.close();
    server.closeAllConnections();
    void closeRuntime().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
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
