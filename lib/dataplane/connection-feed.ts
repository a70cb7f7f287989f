// The batched hand-off of connection records to the onConnection hook (the store writer is
// lib/services/connection-recorder.ts). The hook runs on a later turn of the event loop, so it
// can never slow a handshake.
import type { ConnectionRecord } from "./types";

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
