// The load: bounded clients on 127.0.0.1, pinned to the client core. h2load and wrk cannot present
// a client certificate, so handshakes come from `openssl s_time` and keep-alive requests from `ab`.
import fs from "node:fs";
import tls from "node:tls";
import type { BenchCerts } from "./pki";
import { CLIENT_CORE, run } from "./proc";

export interface HandshakeRun {
  connections: number;
  wallSeconds: number;
}

/**
 * `parallel` × `openssl s_time -new` (a full handshake per connection, no request) for `seconds`.
 * s_time's own rate divides by its CPU time, so connections are divided by wall time here.
 */
export async function handshakeLoad(port: number, certs: BenchCerts, seconds: number, parallel: number): Promise<HandshakeRun> {
  const args = ["s_time", "-connect", `127.0.0.1:${port}`, "-new", "-cert", certs.clientPem, "-key", certs.clientKey, "-CAfile", certs.caPem, "-time", String(seconds)];
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: parallel }, () => run("openssl", args, (seconds + 30) * 1000, CLIENT_CORE)));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  let connections = 0;
  for (const result of results) {
    const match = /(\d+) connections in [\d.]+s/.exec(result.stdout);
    if (!match) throw new Error(`openssl s_time printed no result: ${result.stdout}${result.stderr}`);
    connections += Number(match[1]);
  }
  return { connections, wallSeconds };
}

export interface KeepAliveRun {
  requestsPerSecond: number;
  complete: number;
  failed: number;
  non2xx: number;
}

/** `ab -k` with the client certificate: `concurrency` kept-alive connections for `seconds`. */
export async function keepAliveLoad(port: number, certs: BenchCerts, seconds: number, concurrency: number): Promise<KeepAliveRun> {
  const result = await run(
    "ab",
    ["-q", "-k", "-c", String(concurrency), "-t", String(seconds), "-n", "100000000", "-E", certs.clientCombined, `https://127.0.0.1:${port}/`],
    (seconds + 30) * 1000,
    CLIENT_CORE,
  );
  const number = (pattern: RegExp) => Number(pattern.exec(result.stdout)?.[1] ?? "0");
  const requestsPerSecond = number(/Requests per second:\s+([\d.]+)/);
  if (!requestsPerSecond) throw new Error(`ab printed no result: ${result.stdout}${result.stderr}`);
  return {
    requestsPerSecond,
    complete: number(/Complete requests:\s+(\d+)/),
    failed: number(/Failed requests:\s+(\d+)/),
    non2xx: number(/Non-2xx responses:\s+(\d+)/),
  };
}

export interface Probe {
  /** 200 = answered; "refused" = closed without an HTTP response. */
  outcome: 200 | "refused" | number;
  startNs: bigint;
  endNs: bigint;
  /** The echo's JSON, when answered. */
  body: string;
}

/** One new connection, one GET: what a client observes of the endpoint's rules right now. */
export function probe(port: number, options: { ca: string; cert?: string; key?: string }): Promise<Probe> {
  const startNs = process.hrtime.bigint();
  return new Promise((resolve) => {
    let received = "";
    const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: options.ca, cert: options.cert, key: options.key });
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on("secureConnect", () => socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      const body = received.slice(received.indexOf("\r\n\r\n") + 4);
      resolve({ outcome: status ? (Number(status[1]) as Probe["outcome"]) : "refused", startNs, endNs: process.hrtime.bigint(), body });
    });
  });
}

export function readCredentials(certs: BenchCerts, withClient: boolean): { ca: string; cert?: string; key?: string } {
  const ca = fs.readFileSync(certs.caPem, "utf8");
  return withClient ? { ca, cert: fs.readFileSync(certs.clientPem, "utf8"), key: fs.readFileSync(certs.clientKey, "utf8") } : { ca };
}
