// The supervisor: reconciles the set of live endpoints to the listeners it is given.
// apply() calls run one after another, so a burst of saves converges to the last one and
// status() never sees two reconciliations interleaved.
import { ConnectionFeed } from "./connection-feed";
import { Deadlines } from "./deadlines";
import { Endpoint, type EndpointDeps } from "./endpoint";
import { PeerCache } from "./peer-summary";
import { DEFAULT_FORWARD_TIMEOUTS, Forwarder, type ForwardTimeouts } from "./forward";
import { PoolRegistry } from "./pools";
import type { TlsSetupsOfApply } from "./secure-context";
import type { Dataplane, DataplaneOptions, EndpointStatus, ListenerRuntimeConfig } from "./types";

const STOPPED: EndpointStatus = Object.freeze({ state: "stopped", error: null, url: "" });

export function createDataplane(opts: DataplaneOptions = {}): Dataplane {
  const log = opts.log ?? (() => {});
  const endpoints = new Map<string, Endpoint>();
  /** The config object each endpoint was last updated with: handed the same object, it is skipped. */
  const inForce = new Map<string, ListenerRuntimeConfig>();
  const feed = new ConnectionFeed(opts.onConnection, log);
  const timeouts: ForwardTimeouts = { ...DEFAULT_FORWARD_TIMEOUTS, ...opts.forwardTimeouts };
  const deadlines = new Deadlines();
  const deps: EndpointDeps = {
    peers: new PeerCache(opts.describePeer),
    deadlines,
    forwarder: new Forwarder(timeouts, deadlines, log),
    feed,
    log,
    portHolder: (self, port) => {
      for (const other of endpoints.values()) if (other !== self && other.boundPort() === port) return other.name;
      return undefined;
    },
  };
  // Health changes are reported once per turn of the event loop, however many members changed.
  let healthReportPending = false;
  const reportHealth = (): void => {
    healthReportPending = false;
    try {
      opts.onPoolHealthChange?.();
    } catch (error) {
      log(`onPoolHealthChange failed: ${(error as Error)?.message ?? String(error)}`);
    }
  };
  const pools = new PoolRegistry(() => {
    if (healthReportPending || !opts.onPoolHealthChange) return;
    healthReportPending = true;
    setImmediate(reportHealth);
  }, timeouts.connectMs);
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  /** Runs tasks one at a time, in call order; a failed task does not block the next. */
  function serialized(task: () => Promise<void>): Promise<void> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  async function reconcile(configs: ListenerRuntimeConfig[]): Promise<void> {
    const wanted = new Map<string, ListenerRuntimeConfig>();
    for (const config of configs) {
      if (config && typeof config.id === "string" && config.id.length > 0) wanted.set(config.id, config);
      else log("apply: skipped a listener configuration without an id");
    }

    // 0. The pools the listeners forward to: kept when unchanged, checks started/stopped.
    const poolConfigs = [];
    for (const config of wanted.values()) if (config.pool) poolConfigs.push(config.pool);
    const livePools = pools.reconcile(poolConfigs);

    // 1. Listeners that are gone: stop them and close their connections.
    const removed = [...endpoints].filter(([id]) => !wanted.has(id));
    for (const [id] of removed) {
      endpoints.delete(id);
      inForce.delete(id);
    }
    await Promise.all(removed.map(([, endpoint]) => endpoint.close()));

    // The very object in force on a serving endpoint, with the same live pool: nothing to look at
    // (an incremental loader hands back the unchanged listeners' objects; see Dataplane.apply).
    const poolOf = (config: ListenerRuntimeConfig) => (config.pool ? (livePools.get(config.pool.id) ?? null) : null);
    const changed = [...wanted.values()].filter((config) => {
      const endpoint = endpoints.get(config.id);
      return !(endpoint && inForce.get(config.id) === config && endpoint.pool === poolOf(config) && endpoint.status().state === "serving");
    });

    // 2. Free addresses that are changing hands before anyone binds (e.g. two listeners swap ports).
    for (const config of changed) endpoints.get(config.id)?.releaseIfMoving(config);

    // 3. Build, swap and bind, all listeners at once; one listener's failure stays its own.
    const tlsSetups: TlsSetupsOfApply = new Map();
    await Promise.all(
      changed.map(async (config) => {
        let endpoint = endpoints.get(config.id);
        if (!endpoint) {
          endpoint = new Endpoint(config.id, deps);
          endpoints.set(config.id, endpoint);
        }
        try {
          await endpoint.update(config, poolOf(config), tlsSetups);
          inForce.set(config.id, config);
        } catch (error) {
          inForce.delete(config.id);
          log(`listener ${config.id}: unexpected failure while applying: ${(error as Error)?.message ?? String(error)}`);
        }
      }),
    );
  }

  return {
    apply(configs) {
      if (closed) return Promise.reject(new Error("The data plane is closed; create a new one to serve listeners."));
      const snapshot = Array.isArray(configs) ? [...configs] : [];
      return serialized(() => reconcile(snapshot));
    },

    status(listenerId) {
      return endpoints.get(listenerId)?.status() ?? { ...STOPPED };
    },

    running() {
      return !closed;
    },

    poolHealth(poolId) {
      return pools.health(poolId);
    },

    activeConnections() {
      return Object.fromEntries([...endpoints].map(([id, endpoint]) => [id, endpoint.openConnections()]));
    },

    close() {
      if (closed) return tail.then(() => undefined);
      closed = true;
      return serialized(async () => {
        const all = [...endpoints.values()];
        endpoints.clear();
        inForce.clear();
        await Promise.all(all.map((endpoint) => endpoint.close()));
        await pools.close();
        deps.forwarder.close();
        feed.flush();
      });
    },
  };
}
