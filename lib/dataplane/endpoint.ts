// One listener made live: a net.Server on its address, the configuration new connections get,
// and the connections it has open; every connection's record goes to the feed.
//
// A configuration change builds a new "generation" (SecureContext + client policy) and swaps one
// reference: connections accepted afterwards use it, connections already open keep the one they
// were accepted under and are never cut. Only a change of host/port rebinds.
import cluster from "node:cluster";
import net from "node:net";
import tls from "node:tls";
import type { ConnectionFeed } from "./connection-feed";
import type { Deadlines } from "./deadlines";
import { serveEcho } from "./echo";
import { ListenerLoadError, describeBindError } from "./error-messages";
import type { Forwarder, PoolSource } from "./forward";
import { configKeys, endpointUrl, type ConfigKeys } from "./listener-config";
import { sentChain } from "./peer-certificate";
import type { PeerCache, PeerInfo } from "./peer-summary";
import type { PoolRuntime } from "./pools";
import { findPortHolder } from "./port-probe";
import { refusalProblem } from "./refusal";
import { buildTlsSetup, type TlsSetup, type TlsSetupsOfApply } from "./secure-context";
import type { ConnectionReason, ConnectionRecord, EndpointState, EndpointStatus, ListenerRuntimeConfig, RefusalReason } from "./types";
import { decideClient, observeClient, outcomeOf, type ClientDecision } from "./verify-client";

/** Wire-format ALPN list ("http/1.1"), converted once instead of per connection. */
const ALPN_HTTP1 = Buffer.from([8, ...Buffer.from("http/1.1")]);
/** A client gets this long (±1 s) to finish the handshake (tls.Server's default is 120 s). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How often a process re-sends a client certificate's bytes to the log (presentedBytes). */
const ANNOUNCE_EVERY_MS = 10 * 60_000;
const NO_CLIENT_AUTH: ClientDecision = Object.freeze({ reason: "ok", peer: null });

interface Generation {
  readonly listener: { readonly id: string; readonly name: string };
  /** null for a plain HTTP listener. */
  readonly tls: TlsSetup | null;
}

export interface EndpointDeps {
  readonly peers: PeerCache;
  readonly deadlines: Deadlines;
  readonly feed: ConnectionFeed;
  readonly forwarder: Forwarder;
  readonly log: (line: string) => void;
  /** The name of another listener of ours already bound to this port, for a precise message. */
  readonly portHolder: (self: Endpoint, port: number) => string | undefined;
}

function ignore(): void {}

function buildGeneration(config: ListenerRuntimeConfig, contentKey: string, shared: TlsSetupsOfApply | undefined): Generation {
  const listener = Object.freeze({ id: config.id, name: config.name });
  if (config.protocol === "HTTP") return { listener, tls: null };
  if (config.protocol !== "HTTPS") {
    throw new ListenerLoadError(`Protocol ${String(config.protocol)} is not supported; use HTTP or HTTPS.`);
  }
  if (!config.tls) {
    throw new ListenerLoadError("An HTTPS listener needs a server certificate; pick one in the listener's settings.");
  }
  // Ticket keys given by a cluster's primary are part of what is shared (they are per TLS configuration there too).
  const shareKey = config.tls.ticketKeys ? `${contentKey}\0${config.tls.ticketKeys.toString("hex")}` : contentKey;
  let tls = shared?.get(shareKey);
  if (!tls) {
    tls = buildTlsSetup(config.tls);
    shared?.set(shareKey, tls);
  }
  return { listener, tls };
}

function handshakeFailureReason(error: unknown): ConnectionReason {
  const code = (error as { code?: string } | undefined)?.code;
  const message = (error as Error | undefined)?.message ?? "";
  return code === "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE" || message.includes("peer did not return a certificate")
    ? "no_certificate"
    : "tls_error";
}

export class Endpoint implements PoolSource {
  /** Where this listener's requests go (read at each request); null: the echo. */
  pool: PoolRuntime | null = null;
  private keys: ConfigKeys | null = null;
  private config: ListenerRuntimeConfig | null = null;
  private generation: Generation | null = null;
  private server: net.Server | null = null;
  private boundKey: string | null = null;
  private state: EndpointState = "stopped";
  private error: string | null = null;
  private closed = false;
  /** Every socket this endpoint handed out or is handshaking, so removal can close them. */
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly id: string,
    private readonly deps: EndpointDeps,
  ) {}

  status(): EndpointStatus {
    if (!this.config) return { state: this.state, error: this.error, url: "" };
    const address = this.server?.address();
    const port = address && typeof address === "object" ? address.port : this.config.port;
    return { state: this.state, error: this.error, url: endpointUrl(this.config.protocol, this.config.host, port) };
  }

  /** Connections open or handshaking now. */
  openConnections(): number {
    return this.sockets.size;
  }

  /** The port this endpoint is bound to right now, if any. */
  boundPort(): number | null {
    const address = this.server?.address();
    return address && typeof address === "object" ? address.port : null;
  }

  get name(): string {
    return this.config?.name ?? this.id;
  }

  /** Frees the current address when the next configuration listens elsewhere (so listeners can swap ports). */
  releaseIfMoving(config: ListenerRuntimeConfig): void {
    if (this.server && this.boundKey !== configKeys(config).bind) this.stopListening();
  }

  /** `sharedTls`: the setups built in this apply, shared with listeners of identical TLS settings (see TlsSetupsOfApply). */
  async update(config: ListenerRuntimeConfig, pool: PoolRuntime | null = null, sharedTls?: TlsSetupsOfApply): Promise<void> {
    if (this.closed) return;
    // The pool is not part of the TLS configuration: a change applies to the next request of
    // every connection, without a new generation.
    this.pool = pool;
    const keys = configKeys(config);
    // Unchanged and healthy: leave it alone (its sessions, connections and context stay as they are).
    // A listener in "error" is retried, so an apply recovers it once the cause is gone.
    if (this.state === "serving" && this.keys?.full === keys.full) return;
    const previous = this.keys;
    this.config = config;
    this.keys = keys;

    if (!this.generation || previous?.content !== keys.content) {
      try {
        this.generation = buildGeneration(config, keys.content, sharedTls);
      } catch (error) {
        // Serving the previous configuration would not enforce what was saved: stop accepting.
        this.generation = null;
        this.stopListening();
        this.fail(error instanceof ListenerLoadError ? error.message : `The listener cannot be loaded (${(error as Error)?.message}).`);
        return;
      }
      if (previous) this.deps.log(`listener ${this.name} (${this.id}): new configuration in force for new connections`);
    } else if (previous?.name !== keys.name) {
      this.generation = { ...this.generation, listener: Object.freeze({ id: config.id, name: config.name }) };
    }

    if (this.server && this.boundKey === keys.bind) {
      this.serving();
      return;
    }
    this.stopListening();
    try {
      await this.listen(config.host, config.port);
      this.boundKey = keys.bind;
      this.serving();
    } catch (error) {
      const listener = this.deps.portHolder(this, config.port);
      // Only on a failed bind: name the program in the way, as the console's own check does.
      const program = !listener && (error as NodeJS.ErrnoException)?.code === "EADDRINUSE" ? await findPortHolder(config.port).catch(() => null) : null;
      this.fail(describeBindError(error, config.host, config.port, listener, program));
    }
  }

  /** Stops listening and closes every open connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    this.generation = null;
    const open = [...this.sockets];
    for (const socket of open) socket.destroy();
    this.state = "stopped";
    this.error = null;
    await waitForClose(open, 1_000);
  }

  private serving(): void {
    const wasServing = this.state === "serving";
    this.state = "serving";
    this.error = null;
    if (!wasServing) this.deps.log(`listener ${this.name} (${this.id}): serving on ${this.status().url}`);
  }

  private fail(message: string): void {
    this.state = "error";
    this.error = message;
    this.deps.log(`listener ${this.name} (${this.id}): ${message}`);
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, this.onConnection);
      const onError = (error: Error) => {
        server.removeListener("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.removeListener("error", onError);
        // Accept errors (e.g. EMFILE) arrive here later; they must not crash the process.
        server.on("error", (error) => this.deps.log(`listener ${this.name} (${this.id}): ${error.message}`));
        this.server = server;
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      // A cluster worker shares the node's listening socket with the other workers (they all accept on it).
      server.listen({ host, port, exclusive: !cluster.isWorker });
    });
  }

  private stopListening(): void {
    if (!this.server) return;
    // Closes the listening socket at once (the port is free for the next bind); connections
    // already accepted are not affected.
    this.server.close(ignore);
    this.server = null;
    this.boundKey = null;
    if (this.state === "serving") this.state = "stopped";
  }

  /** Records one connection (also called by the socket listeners below). */
  record(
    remoteAddress: string,
    reason: ConnectionReason,
    tlsProtocol: string | null,
    clientCertificate: ConnectionRecord["clientCertificate"],
    outcome: ConnectionRecord["outcome"] = reason === "ok" ? "accepted" : "rejected",
    presented?: ConnectionRecord["presented"],
  ): void {
    // Frozen: the one object goes to the hook as is.
    const record: ConnectionRecord = Object.freeze({
      at: new Date().toISOString(),
      remoteAddress,
      outcome,
      reason,
      tlsProtocol,
      clientCertificate,
      ...(presented ? { presented } : {}),
    });
    this.deps.feed.publish(this.id, record);
  }

  /** A connection ended: forget it (called by onConnectionClose). */
  untrack(socket: net.Socket): void {
    this.sockets.delete(socket);
    this.deps.deadlines.clear(socket);
  }

  /** The handshake finished: judge the client, then serve or refuse (called by onSecure). */
  handshakeDone(socket: tls.TLSSocket, state: ConnectionState): void {
    const setup = state.generation.tls!;
    let decision: ClientDecision;
    try {
      decision = setup.policy ? decideClient(socket, setup.policy, this.deps.peers) : observeClient(socket, this.deps.peers);
    } catch (error) {
      // Fail closed: a certificate we could not judge is not let in.
      this.deps.log(`listener ${this.name} (${this.id}): client verification failed: ${(error as Error)?.message}`);
      decision = { reason: "tls_error", peer: null };
    }
    const reason = decision.reason;
    const outcome = outcomeOf(reason, setup);
    const refused = outcome === "rejected";
    this.record(state.remoteAddress, reason, socket.getProtocol() ?? null, decision.peer?.logEntry ?? null, outcome, presentedBytes(socket, decision.peer));
    // With Client CA off the certificate was only described for the log: nothing was verified, so
    // nothing about it is passed on (the echo and the members see "NONE", as before it was asked for).
    if (!setup.policy) decision = NO_CLIENT_AUTH;
    // A refused client is told why (a 403 naming the reason) on the first request, then closed;
    // it never gets the echo. In optional mode the echo passes the verdict on instead.
    // Only a failed check is refused: never "ok" or "not_checked".
    const refusal = refused ? refusalProblem(reason as RefusalReason) : undefined;
    if (refusal === undefined && this.pool !== null) {
      this.deps.forwarder.handOver(socket, { source: this, remoteAddress: state.remoteAddress, peer: decision.peer, verdict: decision.reason, identity: null });
      return;
    }
    serveEcho(socket, { listener: state.generation.listener, peer: decision.peer, verdict: decision.reason, refusal }, this.deps.deadlines);
  }

  /** The hot path: runs once per accepted TCP connection. */
  private readonly onConnection = (raw: net.Socket): void => {
    raw.on("error", ignore);
    try {
      this.serve(raw);
    } catch (error) {
      // A bug here must cost one connection, never the process.
      raw.destroy();
      this.deps.log(`listener ${this.name} (${this.id}): connection failed: ${(error as Error)?.message ?? String(error)}`);
    }
  };

  private serve(raw: net.Socket): void {
    const generation = this.generation;
    if (!generation || this.closed) {
      raw.destroy();
      return;
    }
    const remoteAddress = displayAddress(raw.remoteAddress);
    const setup = generation.tls;
    // Per-connection state hangs off the socket and the listeners are shared functions: a
    // connection allocates no closures (they cost measurably at thousands of handshakes a second).
    const state: ConnectionState = { endpoint: this, generation, remoteAddress, settled: setup === null };

    if (setup === null) {
      this.track(raw, state);
      this.record(remoteAddress, "ok", null, null);
      if (this.pool !== null) {
        this.deps.forwarder.handOver(raw, { source: this, remoteAddress, peer: null, verdict: null, identity: null });
        return;
      }
      serveEcho(raw, { listener: generation.listener, peer: null, verdict: null, refusal: undefined }, this.deps.deadlines);
      return;
    }

    const socket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: setup.secureContext,
      // Always asked (secure-context.ts buildTlsSetup says why); in required mode a handshake without
      // a certificate then fails in OpenSSL itself (the only failure Node's verify step lets through
      // to the handshake). Otherwise OpenSSL must let it through: the verdict is passed on, or unused.
      requestCert: true,
      rejectUnauthorized: setup.refuseFailures,
      ALPNProtocols: ALPN_HTTP1,
      // No handshakeTimeout: the shared deadlines below keep it without a timer per socket.
    });
    this.track(socket, state);
    this.deps.deadlines.set(socket, HANDSHAKE_TIMEOUT_MS);
    socket.on("error", onConnectionError);
    socket.on("secure", onSecure);
  }

  private track(socket: net.Socket, state: ConnectionState): void {
    this.sockets.add(socket);
    (socket as TrackedSocket)[kState] = state;
    socket.on("close", onConnectionClose);
  }
}

/** What a connection carries from accept to its end. */
interface ConnectionState {
  readonly endpoint: Endpoint;
  readonly generation: Generation;
  readonly remoteAddress: string;
  /** Its log record is written (the handshake ended one way or the other). */
  settled: boolean;
}

const kState = Symbol("certgate.connection");
type TrackedSocket = net.Socket & { [kState]?: ConnectionState };

function onSecure(this: TrackedSocket): void {
  const state = this[kState];
  if (!state || state.settled) return;
  state.settled = true;
  state.endpoint.handshakeDone(this as tls.TLSSocket, state);
}

function onConnectionError(this: TrackedSocket, error: Error): void {
  // After the hand-over errors just end the connection; this listener keeps them from crashing.
  const state = this[kState];
  if (!state || state.settled) return;
  state.settled = true;
  state.endpoint.record(state.remoteAddress, handshakeFailureReason(error), (this as tls.TLSSocket).getProtocol() ?? null, null);
}

function onConnectionClose(this: TrackedSocket): void {
  const state = this[kState];
  if (!state) return;
  state.endpoint.untrack(this);
  if (state.settled) return;
  state.settled = true;
  state.endpoint.record(state.remoteAddress, "tls_error", null, null); // closed before finishing the handshake
}

/** "::ffff:127.0.0.1" (an IPv4 client of a dual-stack socket) is shown as "127.0.0.1". */
function displayAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function waitForClose(sockets: net.Socket[], timeoutMs: number): Promise<void> {
  const pending = sockets.filter((socket) => !socket.closed);
  if (pending.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let left = pending.length;
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    for (const socket of pending) {
      socket.once("close", () => {
        left -= 1;
        if (left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

/**
 * The certificate's bytes for the log's store of presented certificates (types.ts
 * PresentedCertificateBytes), when this process has not announced it within ANNOUNCE_EVERY_MS: a
 * client seen all day costs one copy a few times an hour, not one per connection, and a certificate
 * the log forgot (pruned with its last connection) is stored again when it comes back.
 */
function presentedBytes(socket: tls.TLSSocket, peer: PeerInfo | null): ConnectionRecord["presented"] {
  if (!peer) return undefined;
  const now = Date.now();
  if (now - peer.announcedAtMs < ANNOUNCE_EVERY_MS) return undefined;
  peer.announcedAtMs = now;
  return { der: peer.derBase64, chain: sentChain(socket).map((cert) => cert.raw.toString("base64")) };
}
