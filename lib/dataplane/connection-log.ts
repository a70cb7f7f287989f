// Bounded per-listener history of connections, plus a batched hand-off to a hook (persistence
// comes later). Appending is O(1) with no allocation besides the record itself, and the hook
// runs on a later turn of the event loop, so neither can slow a handshake.
import type { ConnectionRecord } from "./types";

export const DEFAULT_LOG_CAPACITY = 10_000;

/** A fixed-size ring buffer: the newest `capacity` records, read newest first. */
export class ConnectionLog {
  private readonly slots: (ConnectionRecord | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private readonly capacity = DEFAULT_LOG_CAPACITY) {
    this.slots = new Array<ConnectionRecord | undefined>(capacity);
  }

  push(record: ConnectionRecord): void {
    this.slots[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  /** Newest first; `limit` defaults to everything kept. */
  list(limit = this.count): ConnectionRecord[] {
    const n = Math.max(0, Math.min(Math.floor(limit), this.count));
    const out = new Array<ConnectionRecord>(n);
    for (let i = 0; i < n; i++) {
      const index = (this.next - 1 - i + this.capacity) % this.capacity;
      // Stored records are frozen and shared with the hook; callers get plain copies they may change.
      out[i] = { ...(this.slots[index] as ConnectionRecord) };
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}

type Hook = (listenerId: string, record: ConnectionRecord) => void;

/**
 * Queues records for the onConnection hook and delivers them in one batch per event-loop turn.
 * A slow or throwing hook therefore never runs inside a socket callback.
 */
export class ConnectionFeed {
  private queue: { listenerId: string; record: ConnectionRecord }[] = [];
  private scheduled = false;

  constructor(
    private readonly hook: Hook | undefined,
    private readonly log: (line: string) => void,
  ) {}

  publish(listenerId: string, record: ConnectionRecord): void {
    if (!this.hook) return;
    this.queue.push({ listenerId, record });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Delivers everything queued now (also used by close()). */
  readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0 || !this.hook) return;
    this.queue = [];
    for (const { listenerId, record } of batch) {
      try {
        this.hook(listenerId, record);
      } catch (error) {
        this.log(`onConnection hook failed for listener ${listenerId}: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  };
}
