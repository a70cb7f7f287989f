// A real HTTP backend for the forwarding tests: a node:http server on 127.0.0.1 that records every
// request it receives (raw header lines as they came off the wire, body bytes) and answers with a
// handler the test chooses (default: 200 "<name>").
import http from "node:http";
import type net from "node:net";
import { afterEach } from "vitest";
import { createDataplane } from "../lib/dataplane/dataplane";
import { memberKey, type Dataplane, type DataplaneOptions, type PoolRuntimeConfig } from "../lib/dataplane/types";

export interface ReceivedRequest {
  method: string;
  url: string;
  /** Header lines as received: [name, value, name, value, ...] with the sender's spelling. */
  rawHeaders: string[];
  body: Buffer;
  /** The backend-side socket's remote port: the same port = the same kept-alive connection. */
  remotePort: number;
}

export type BackendHandler = (req: http.IncomingMessage, res: http.ServerResponse, backend: RecordingBackend) => void;

export class RecordingBackend {
  readonly received: ReceivedRequest[] = [];
  /** Health-check requests (user-agent certgate-health-check), kept apart from forwarded ones. */
  readonly checks: ReceivedRequest[] = [];
  /** The status health checks get. */
  checkStatus = 200;
  private server: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    readonly name: string,
    public handler: BackendHandler = (_req, res) => res.end(name),
  ) {}

  /** The running server (null while stopped), e.g. to add an "upgrade" handler. */
  get httpServer(): http.Server | null {
    return this.server;
  }

  /** Starts listening (on `port`, or a free one); resolves with the port. */
  start(port = this.port): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        const record: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, body: Buffer.alloc(0), remotePort: req.socket.remotePort ?? 0 };
        const isCheck = req.headers["user-agent"] === "certgate-health-check";
        (isCheck ? this.checks : this.received).push(record);
        if (isCheck) {
          req.resume();
          res.statusCode = this.checkStatus;
          res.end("ok");
          return;
        }
        // Handlers that stream read the body themselves.
        if (req.headers["x-test-stream"]) return this.handler(req, res, this);
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          record.body = Buffer.concat(chunks);
          this.handler(req, res, this);
        });
      });
      server.keepAliveTimeout = 10_000;
      server.on("connection", (socket: net.Socket) => {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.server = server;
        this.port = (server.address() as net.AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  /** Stops listening and cuts every open connection (a member going down). */
  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** Forwarded requests' header value (first match, case-insensitive) of request `index`. */
  header(index: number, name: string): string[] {
    const raw = this.received[index]?.rawHeaders ?? [];
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name.toLowerCase()) out.push(raw[i + 1]);
    return out;
  }
}

let poolCounter = 0;

/** A pool over these backends (weight 1 each unless given), checked every second. */
export function poolOf(
  backends: Array<RecordingBackend | { backend: RecordingBackend; weight: number }>,
  overrides: Partial<PoolRuntimeConfig> = {},
): PoolRuntimeConfig {
  poolCounter += 1;
  return {
    id: `pool-${poolCounter}`,
    name: `pool ${poolCounter}`,
    algorithm: "round_robin",
    members: backends.map((entry) => {
      const { backend, weight } = entry instanceof RecordingBackend ? { backend: entry, weight: 1 } : entry;
      return { address: "127.0.0.1", port: backend.port, weight };
    }),
    healthCheck: { path: "/healthz", intervalSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 },
    ...overrides,
  };
}

/**
 * For a test file of the data plane with backends: `start()` makes the data plane and `backend()`
 * a started backend; both are stopped after every test. `key()` is a backend's memberKey.
 */
export function dataplaneWithBackends() {
  const backends: RecordingBackend[] = [];
  let current: Dataplane | null = null;
  afterEach(async () => {
    await current?.close();
    current = null;
    await Promise.all(backends.splice(0).map((server) => server.stop()));
  });
  return {
    start(options: DataplaneOptions = {}): Dataplane {
      current = createDataplane(options);
      return current;
    },
    async backend(name: string, handler?: BackendHandler): Promise<RecordingBackend> {
      const server = new RecordingBackend(name, handler);
      backends.push(server);
      await server.start();
      return server;
    },
    key(server: RecordingBackend): string {
      return memberKey({ address: "127.0.0.1", port: server.port });
    },
  };
}
