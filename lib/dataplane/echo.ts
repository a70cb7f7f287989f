// The HTTP side of an endpoint: a JSON echo of what the endpoint verified for this connection,
// including the headers an application behind the load balancer would receive about the client.
import type http from "node:http";
import type net from "node:net";
import tls from "node:tls";
import { NO_CLIENT_CERT_HEADERS, type ClientCertHeaders, type PeerInfo } from "./peer-summary";
import type { PeerCertificateSummary } from "./types";

/** The JSON body of `GET /` on an endpoint. */
export interface EchoBody {
  listener: { id: string; name: string };
  tls: { protocol: string | null; cipher: string } | null;
  clientCertificate: PeerCertificateSummary | null;
  headers: ClientCertHeaders;
}

/** Per-connection facts, attached to the socket when it is handed to the HTTP server. */
export interface ConnectionContext {
  readonly listener: { readonly id: string; readonly name: string };
  /** The verified client certificate; null when none was asked for. */
  readonly peer: PeerInfo | null;
  /** The echo is the same for every request of a connection: built once, on the first request. */
  body?: Buffer;
}

export const kConnection = Symbol("certgate.dataplane.connection");
export type SocketWithContext = net.Socket & { [kConnection]?: ConnectionContext };

export function attachContext(socket: net.Socket, context: ConnectionContext): void {
  (socket as SocketWithContext)[kConnection] = context;
}

function echoBody(context: ConnectionContext, socket: net.Socket): Buffer {
  let tlsInfo: { protocol: string | null; cipher: string } | null = null;
  if (socket instanceof tls.TLSSocket) {
    const cipher = socket.getCipher();
    tlsInfo = { protocol: socket.getProtocol(), cipher: cipher?.standardName ?? cipher?.name ?? "" };
  }
  const body: EchoBody = {
    listener: { id: context.listener.id, name: context.listener.name },
    tls: tlsInfo,
    clientCertificate: context.peer ? context.peer.summary : null,
    headers: context.peer ? context.peer.headers : NO_CLIENT_CERT_HEADERS,
  };
  return Buffer.from(JSON.stringify(body));
}

const METHOD_NOT_ALLOWED = Buffer.from(
  JSON.stringify({
    type: "about:blank",
    title: "Method Not Allowed",
    status: 405,
    detail: "The endpoint answers GET and HEAD only; send a GET request.",
  }),
);

export function handleEchoRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const context = (req.socket as SocketWithContext)[kConnection];
  if (!context) {
    // Cannot happen for sockets the endpoint handed over; refuse rather than echo nothing.
    res.writeHead(500, { "content-type": "application/json", "content-length": "2" }).end("{}");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, {
      allow: "GET, HEAD",
      "content-type": "application/problem+json",
      "content-length": String(METHOD_NOT_ALLOWED.length),
    });
    res.end(METHOD_NOT_ALLOWED);
    return;
  }
  const body = (context.body ??= echoBody(context, req.socket));
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(body.length),
    "cache-control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
