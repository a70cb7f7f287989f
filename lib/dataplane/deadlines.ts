// Time limits for connections (handshake, request head, keep-alive idle), kept by one timer per
// data plane instead of one per socket: socket.setTimeout and TLSSocket's handshakeTimeout each
// arm and disarm a Node timer, ~25 µs apiece per connection here, three times per connection.
// A deadline is checked once a second, so a limit holds to within a second.
import type net from "node:net";

const SWEEP_EVERY_MS = 1_000;

export class Deadlines {
  private readonly due = new Map<net.Socket, number>();
  private timer: NodeJS.Timeout | null = null;

  /** `socket` is destroyed if it is still open `ms` from now (replaces its previous deadline). */
  set(socket: net.Socket, ms: number): void {
    this.due.set(socket, Date.now() + ms);
    if (!this.timer) {
      this.timer = setInterval(this.sweep, SWEEP_EVERY_MS);
      this.timer.unref();
    }
  }

  clear(socket: net.Socket): void {
    this.due.delete(socket);
  }

  private readonly sweep = (): void => {
    const now = Date.now();
    for (const [socket, deadline] of this.due) {
      if (deadline > now) continue;
      this.due.delete(socket);
      socket.destroy();
    }
    if (this.due.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  };
}
