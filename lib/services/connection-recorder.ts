// Persists the data plane's connection records in batches. The data plane hands records over on a
// later turn of the event loop (never inside a handshake); here they wait in memory and are written
// every FLUSH_INTERVAL_MS, or as soon as BATCH_SIZE are waiting, in one transaction that also
// prunes each listener's log to its newest rows.
import { createDataplane, type ConnectionRecord, type Dataplane, type DataplaneOptions } from "../dataplane";
import type { PresentedCertificateBytes } from "../dataplane/types";
import type { Db, Store } from "../store/database";
import { appendConnectionEvents, type ConnectionEventRow, type PresentedCertificateRow } from "../store/connections-repo";

const FLUSH_INTERVAL_MS = 200;
const BATCH_SIZE = 500;
/** While the database is unreachable records wait here; beyond this the oldest are dropped. */
const MAX_WAITING = 50_000;
/** How often certificates no log row refers to any more are removed (connections-repo.ts). */
const PRUNE_CERTIFICATES_EVERY_MS = 60_000;
/**
 * A presented certificate is kept with at most this many sent CAs, and only when it is this small
 * (bytes, leaf and chain together): real client chains are a few KiB, and the log's store must stay
 * bounded per listener whatever a client sends.
 */
const MAX_CHAIN_CERTIFICATES = 4;
const MAX_PRESENTED_BYTES = 32 * 1024;

export class ConnectionRecorder {
  private waiting: ConnectionEventRow[] = [];
  private certificates: PresentedCertificateRow[] = [];
  private prunedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** The data plane's onConnection hook. */
  readonly record = (listenerId: string, record: ConnectionRecord): void => {
    if (this.closed) return;
    const peer = record.clientCertificate;
    this.waiting.push({
      listener_id: listenerId,
      at: record.at,
      remote_address: record.remoteAddress,
      outcome: record.outcome,
      reason: record.reason,
      tls_protocol: record.tlsProtocol,
      client_subject: peer?.subject ?? null,
      client_issuer: peer?.issuer ?? null,
      client_fingerprint_sha256: peer?.fingerprintSha256 ?? null,
    });
    if (peer && record.presented) {
      const presented = presentedCertificateRow(peer.fingerprintSha256, record.presented);
      if (presented) this.certificates.push(presented);
    }
    if (this.waiting.length >= BATCH_SIZE) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      // Never the reason a process stays up; close() writes what is left.
      this.timer.unref();
    }
  };

  /** Writes everything waiting now; resolves when it is in the store (or failed and re-queued). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // One write at a time keeps the rows in record order (ids follow time).
    this.writing = this.writing.then(() => this.writeWaiting());
    return this.writing;
  }

  /** Writes what is left and stops taking records. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async writeWaiting(): Promise<void> {
    const batch = this.waiting;
    if (batch.length === 0) return;
    const certificates = this.certificates;
    this.waiting = [];
    this.certificates = [];
    const pruneCertificates = Date.now() - this.prunedAt >= PRUNE_CERTIFICATES_EVERY_MS;
    try {
      await appendConnectionEvents(this.db, batch, undefined, { certificates, pruneCertificates });
      if (pruneCertificates) this.prunedAt = Date.now();
      if (this.failing) this.log("connection log: writing to the database works again");
      this.failing = false;
    } catch (error) {
      // Keep them for the next flush, oldest first, within bounds.
      this.waiting = batch.concat(this.waiting);
      this.certificates = certificates.concat(this.certificates).slice(-MAX_WAITING);
      const dropped = this.waiting.length - MAX_WAITING;
      if (dropped > 0) this.waiting.splice(0, dropped);
      if (!this.failing) this.log(`connection log: could not write to the database, retrying (${(error as Error).message})`);
      this.failing = true;
      if (!this.closed && !this.timer) {
        this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS * 5);
        this.timer.unref();
      }
    }
  }
}

/** Makes the endpoints: in this process (createDataplane) or over worker processes (createClusterDataplane). */
export type DataplaneFactory = (options: DataplaneOptions) => Dataplane;

/** Endpoints whose connection log goes to the store; close() also writes what is still queued. */
export function createRecordedDataplane(
  store: Store,
  log: (line: string) => void,
  options: Pick<DataplaneOptions, "onPoolHealthChange"> = {},
  factory: DataplaneFactory = createDataplane,
): { dataplane: Dataplane; recorder: ConnectionRecorder } {
  const recorder = new ConnectionRecorder(store.db, log);
  const endpoints = factory({ ...options, log, onConnection: recorder.record });
  const dataplane: Dataplane = {
    ...endpoints,
    async close() {
      await endpoints.close(); // hands over the last records
      await recorder.close();
    },
  };
  return { dataplane, recorder };
}

/** The row for a record's certificate bytes, within the size bounds (null: too large to keep). */
function presentedCertificateRow(fingerprintSha256: string, presented: PresentedCertificateBytes): PresentedCertificateRow | null {
  const der = Buffer.from(presented.der, "base64");
  const chain = presented.chain.slice(0, MAX_CHAIN_CERTIFICATES).map((cert) => Buffer.from(cert, "base64"));
  const size = chain.reduce((total, cert) => total + cert.length, der.length);
  return size <= MAX_PRESENTED_BYTES ? { fingerprintSha256, der, chain } : null;
}
