// The data plane over worker processes (node:cluster): the Dataplane contract, kept by N workers
// that each serve every listener on the shared sockets. apply() resolves once EVERY live worker
// enforces the configuration, so a node reports a revision only when all its workers serve it.
// A worker that dies is forked again and given the current configuration; the others keep serving.
//
// TLS session ticket keys are chosen here, per listener configuration: all workers get the same
// keys (a session resumes whichever worker takes the connection) and a change of what a listener
// enforces gets new keys (no session made before it resumes after it).
import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import { isWorkerMessage, type ApplyMessage, type WorkerMessage, type WorkerStats } from "./cluster-messages";
import { configKeys } from "./listener-config";
import type { Dataplane, DataplaneOptions, EndpointStatus, ListenerRuntimeConfig, MemberHealth } from "./types";

const STOPPED: EndpointStatus = Object.freeze({ state: "stopped", error: null, url: "" });
/** A worker that does not stop within this long after "close" is killed. */
const CLOSE_TIMEOUT_MS = 10_000;
/** A worker that dies this soon after its fork is not forked again at once (a crash loop). */
const REFORK_DELAY_MS = 1_000;

export interface ClusterDataplaneOptions extends DataplaneOptions {
  workers: number;
  /** The worker entry (dist/dataplane-worker.js; server/dataplane-worker.ts under tsx with execArgv). */
  exec: string;
  execArgv?: string[];
  /**
   * "none" (default): every worker accepts on the shared listening socket itself; "rr": the primary
   * accepts and hands each connection to a worker in turn (slower: every connection crosses IPC).
   */
  scheduling?: "none" | "rr";
}

export interface WorkerView extends WorkerStats {
  id: number;
  pid: number;
  /** Connection records received from this worker. */
  connections: number;
}

export interface ClusterDataplane extends Dataplane {
  /** Resolves when the first configuration could be sent (every worker forked and ready). */
  workers(): WorkerView[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The configs this worker has, by id (what the next change set is computed against). */
  has: Map<string, ListenerRuntimeConfig>;
  pending: Map<number, () => void>;
  endpoints: Record<string, EndpointStatus>;
  pools: Record<string, Record<string, MemberHealth>>;
  stats: WorkerStats;
  connections: number;
  /** Resolves when the worker answers "ready". */
  readyWait: Promise<void>;
  markReady: () => void;
  forkedAt: number;
}

export function createClusterDataplane(opts: ClusterDataplaneOptions): ClusterDataplane {
  const log = opts.log ?? (() => {});
  cluster.schedulingPolicy = opts.scheduling === "rr" ? cluster.SCHED_RR : cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: opts.exec, execArgv: opts.execArgv ?? [], serialization: "advanced" });
  const slots = new Map<number, Slot>(); // by index 0..N-1
  /** The configuration in force, with ticket keys, by listener id. */
  const current = new Map<string, ListenerRuntimeConfig>();
  /** What each listener was given as (identity), its content key and its ticket keys. */
  const given = new Map<string, { input: ListenerRuntimeConfig; content: string; ticketKeys: Buffer }>();
  /** The ticket keys of each TLS configuration some listener has (rebuilt after every apply). */
  let keysByContent = new Map<string, Buffer>();
  let seq = 0;
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = (task: () => Promise<void>): Promise<void> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };

  function fork(index: number): Slot {
    const worker = cluster.fork();
    let markReady = () => {};
    const readyWait = new Promise<void>((resolve) => (markReady = resolve));
    const slot: Slot = {
      worker,
      ready: false,
      has: new Map(),
      pending: new Map(),
      endpoints: {},
      pools: {},
      stats: { active: {}, rss: 0 },
      connections: 0,
      readyWait,
      markReady,
      forkedAt: Date.now(),
    };
    slots.set(index, slot);
    worker.on("message", (message: unknown) => {
      if (isWorkerMessage(message)) onMessage(index, slot, message);
    });
    worker.on("exit", (code, signal) => {
      for (const done of slot.pending.values()) done();
      slot.pending.clear();
      slot.markReady();
      if (slots.get(index) !== slot) return;
      slots.delete(index);
      if (closed) return;
      log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); forking a replacement, the other workers keep serving`);
      const again = () => {
        if (closed) return;
        const next = fork(index);
        // The replacement gets the current configuration as soon as it is ready, in turn with applies.
        void next.readyWait.then(() => serialized(() => sync([next]))).then(() => {
          if (!closed) log(`worker ${next.worker.process.pid} replaced worker ${worker.process.pid} and serves the current configuration`);
        });
      };
      if (Date.now() - slot.forkedAt < REFORK_DELAY_MS) setTimeout(again, REFORK_DELAY_MS).unref();
      else again();
    });
    return slot;
  }

  function onMessage(index: number, slot: Slot, message: WorkerMessage): void {
    switch (message.type) {
      case "ready":
        slot.ready = true;
        slot.markReady();
        return;
      case "applied": {
        slot.endpoints = message.endpoints;
        slot.pools = message.pools;
        slot.stats = { active: message.active, rss: message.rss };
        const done = slot.pending.get(message.seq);
        slot.pending.delete(message.seq);
        done?.();
        return;
      }
      case "connections":
        slot.connections += message.batch.length;
        if (opts.onConnection) {
          for (const [listenerId, record] of message.batch) {
            try {
              opts.onConnection(listenerId, record);
            } catch (error) {
              log(`onConnection hook failed for listener ${listenerId}: ${(error as Error)?.message ?? String(error)}`);
            }
          }
        }
        return;
      case "health":
        slot.pools = message.pools;
        opts.onPoolHealthChange?.();
        return;
      case "stats":
        slot.stats = { active: message.active, rss: message.rss };
        return;
    }
  }

  /** Sends each worker what changed for it and waits until each has applied it (or died). */
  async function sync(targets: Slot[]): Promise<void> {
    await Promise.all(
      targets.map((slot) => {
        if (!slot.worker.isConnected()) return undefined;
        const changed: ListenerRuntimeConfig[] = [];
        for (const [id, config] of current) if (slot.has.get(id) !== config) changed.push(config);
        const removed = [...slot.has.keys()].filter((id) => !current.has(id));
        slot.has = new Map(current);
        seq += 1;
        const message: ApplyMessage = { type: "apply", seq, changed, removed };
        const answered = new Promise<void>((resolve) => slot.pending.set(message.seq, resolve));
        slot.worker.send(message);
        return answered;
      }),
    );
  }

  /** The config as the workers get it: with this configuration's ticket keys. */
  function withTicketKeys(config: ListenerRuntimeConfig): ListenerRuntimeConfig {
    const previous = given.get(config.id);
    if (previous && previous.input === config) return current.get(config.id) ?? config;
    const content = configKeys(config).content;
    // Keys belong to a TLS configuration, not to a listener: listeners with identical settings get
    // the same keys, so a worker can build one context for all of them (the endpoint shares setups
    // by content key and ticket keys); a listener whose settings changed never keeps its old keys.
    const ticketKeys = previous && previous.content === content ? previous.ticketKeys : (keysByContent.get(content) ?? randomBytes(48));
    keysByContent.set(content, ticketKeys);
    given.set(config.id, { input: config, content, ticketKeys });
    return config.tls ? { ...config, tls: { ...config.tls, ticketKeys } } : config;
  }

  for (let index = 0; index < opts.workers; index += 1) fork(index);

  return {
    apply(configs) {
      if (closed) return Promise.reject(new Error("The data plane is closed; create a new one to serve listeners."));
      const snapshot = Array.isArray(configs) ? [...configs] : [];
      return serialized(async () => {
        const next = new Map<string, ListenerRuntimeConfig>();
        for (const config of snapshot) {
          if (config && typeof config.id === "string" && config.id.length > 0) next.set(config.id, withTicketKeys(config));
          else log("apply: skipped a listener configuration without an id");
        }
        for (const id of given.keys()) if (!next.has(id)) given.delete(id);
        keysByContent = new Map([...given.values()].map((entry) => [entry.content, entry.ticketKeys]));
        current.clear();
        for (const [id, config] of next) current.set(id, config);
        const live = [...slots.values()];
        await Promise.all(live.map((slot) => slot.readyWait));
        await sync(live.filter((slot) => slot.ready));
      });
    },

    status(listenerId) {
      if (!current.has(listenerId)) return { ...STOPPED };
      const answers = [...slots.values()].map((slot) => slot.endpoints[listenerId]).filter((status) => status !== undefined);
      if (answers.length === 0) return { ...STOPPED };
      // One worker's error is the node's error; serving means serving on every worker that answered.
      return answers.find((status) => status.state === "error") ?? answers.find((status) => status.state !== "serving") ?? answers[0];
    },

    running() {
      return !closed;
    },

    poolHealth(poolId) {
      const merged: Record<string, MemberHealth> = {};
      for (const slot of slots.values()) {
        for (const [member, health] of Object.entries(slot.pools[poolId] ?? {})) {
          const seen = merged[member];
          // Healthy on the node only when healthy on every worker; unhealthy when any worker says so.
          if (seen === undefined || health === "unhealthy" || (health === "unknown" && seen === "healthy")) merged[member] = health;
        }
      }
      return merged;
    },

    activeConnections() {
      const total: Record<string, number> = {};
      for (const slot of slots.values()) for (const [id, count] of Object.entries(slot.stats.active)) total[id] = (total[id] ?? 0) + count;
      return total;
    },

    workers() {
      return [...slots.entries()].map(([id, slot]) => ({ id, pid: slot.worker.process.pid ?? 0, connections: slot.connections, ...slot.stats }));
    },

    close() {
      if (closed) return tail.then(() => undefined);
      closed = true;
      return serialized(async () => {
        await Promise.all(
          [...slots.values()].map(
            (slot) =>
              new Promise<void>((resolve) => {
                if (slot.worker.isDead()) return resolve();
                const timer = setTimeout(() => slot.worker.kill("SIGKILL"), CLOSE_TIMEOUT_MS);
                slot.worker.once("exit", () => {
                  clearTimeout(timer);
                  resolve();
                });
                if (slot.worker.isConnected()) slot.worker.send({ type: "close" });
                else slot.worker.kill("SIGTERM");
              }),
          ),
        );
        slots.clear();
      });
    },
  };
}
