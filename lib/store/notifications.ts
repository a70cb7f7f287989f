// PostgreSQL LISTEN on one channel, kept up for the life of a process: a dedicated connection (a
// pooled one may be handed to a query and lose the LISTEN), reconnected with backoff whenever it
// breaks. NOTIFY has no replay, so every (re)connection is reported with `onListening`: whoever
// listens must then read the full state once, because notifications sent while it was away are lost.
import "server-only";
import pg from "pg";

export interface NotificationHandlers {
  /** A NOTIFY arrived on the channel (payload as sent). */
  onNotify(payload: string): void;
  /** LISTEN is in place (first time or after a reconnect): resynchronize from the store now. */
  onListening(): void;
  /** The connection broke or could not be made (said once per outage; it keeps retrying). */
  onLost(message: string): void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

const RECONNECT_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/** Channel names are identifiers: only the fixed names this project uses are passed in. */
export function listenForNotifications(connectionString: string, channel: string, handlers: NotificationHandlers): NotificationListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let attempts = 0;
  let lost = false;
  let retry: NodeJS.Timeout | null = null;

  const reportLost = (message: string) => {
    if (lost || closed) return;
    lost = true;
    handlers.onLost(message);
  };

  const scheduleReconnect = () => {
    if (closed || retry) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(attempts, RECONNECT_DELAYS_MS.length - 1)];
    attempts++;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString, keepAlive: true });
    client = next;
    // Without an 'error' handler a broken connection would throw out of the process.
    next.on("error", (error) => {
      reportLost(error.message);
      void next.end().catch(() => undefined);
    });
    next.on("end", () => {
      if (client === next) client = null;
      reportLost("the connection ended");
      scheduleReconnect();
    });
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload ?? "");
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) {
        await next.end();
        return;
      }
      attempts = 0;
      lost = false;
      handlers.onListening();
    } catch (error) {
      reportLost((error as Error).message);
      await next.end().catch(() => undefined);
      if (client === next) client = null;
      scheduleReconnect();
    }
  };

  void connect();

  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
