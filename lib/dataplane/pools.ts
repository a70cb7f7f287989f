// The backend pools the listeners forward to, reconciled on every apply(): one PoolRuntime per
// pool some listener uses (its members, their health checks, the balancing state), and one
// keep-alive undici Pool per member address, shared by every pool naming that member and reused
// across applies. A pool whose members and check are unchanged keeps its checker (and the health
// it has learnt); a pool no listener uses any more is stopped; a member address no pool names any
// more has its connections closed.
import type { Pool } from "undici";
import { HealthChecker } from "./health-check";
import { memberKey, type MemberHealth, type PoolAlgorithm, type PoolRuntimeConfig } from "./types";

/** How long a kept-alive connection to a member may sit idle before it is closed (below the usual 60 s of backends). */
export const MEMBER_KEEP_ALIVE_MS = 30_000;
/** Connections per member at most (requests beyond wait in undici's queue). */
export const MEMBER_MAX_CONNECTIONS = 256;

export interface MemberBackend {
  readonly client: Pool;
  /** Requests forwarded to this member that have not finished (least_connections reads it). */
  active: number;
}

export interface MemberSlot {
  readonly key: string;
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  /** The member's connections and requests in flight, shared by every pool naming this address. */
  readonly backend: MemberBackend;
  /** Smooth weighted round robin's running weight. */
  currentWeight: number;
}

export class PoolRuntime {
  readonly members: MemberSlot[];
  private nextStart = 0;

  constructor(
    readonly id: string,
    public name: string,
    readonly algorithm: PoolAlgorithm,
    members: MemberSlot[],
    readonly health: HealthChecker,
    /** What the members and check were built from: an equal one keeps the checker. */
    readonly checkSignature: string,
    readonly signature: string,
  ) {
    this.members = members;
  }

  /** The member the next request goes to, among members not taken out by the checks; null when none is left. */
  pick(): MemberSlot | null {
    return this.algorithm === "least_connections" ? this.leastConnections() : this.smoothWeightedRoundRobin();
  }

  /** nginx's smooth weighted round robin: weights 5,1,1 give a a b a c a a, not a a a a a b c. */
  private smoothWeightedRoundRobin(): MemberSlot | null {
    let best: MemberSlot | null = null;
    let total = 0;
    for (const member of this.members) {
      if (this.health.health(member.key) === "unhealthy") continue;
      member.currentWeight += member.weight;
      total += member.weight;
      if (best === null || member.currentWeight > best.currentWeight) best = member;
    }
    if (best) best.currentWeight -= total;
    return best;
  }

  /** Fewest requests in flight per unit of weight; ties go round the members in turn. */
  private leastConnections(): MemberSlot | null {
    const count = this.members.length;
    let best: MemberSlot | null = null;
    const start = this.nextStart;
    for (let i = 0; i < count; i++) {
      const member = this.members[(start + i) % count];
      if (this.health.health(member.key) === "unhealthy") continue;
      // active/weight < best.active/best.weight, without dividing.
      if (best === null || member.backend.active * best.weight < best.backend.active * member.weight) best = member;
    }
    this.nextStart = count > 0 ? (start + 1) % count : 0;
    return best;
  }
}

function origin(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

export class PoolRegistry {
  private readonly pools = new Map<string, PoolRuntime>();
  private readonly backends = new Map<string, MemberBackend>();

  constructor(
    private readonly onHealthChange: () => void,
    /** How long a connection to a member may take to establish. */
    private readonly connectTimeoutMs: number,
  ) {}

  /**
   * Makes exactly these pools live (by id; the last config of an id wins) and returns them by id.
   * Called with the pools of every listener at the start of each apply().
   */
  reconcile(configs: readonly PoolRuntimeConfig[]): Map<string, PoolRuntime> {
    const wanted = new Map<string, PoolRuntimeConfig>();
    for (const config of configs) if (config && typeof config.id === "string") wanted.set(config.id, config);

    for (const [id, runtime] of this.pools) {
      if (!wanted.has(id)) {
        runtime.health.stop();
        this.pools.delete(id);
      }
    }
    for (const config of wanted.values()) this.pools.set(config.id, this.build(config, this.pools.get(config.id)));

    const used = new Set<string>();
    for (const runtime of this.pools.values()) for (const member of runtime.members) used.add(member.key);
    for (const [key, backend] of this.backends) {
      if (used.has(key)) continue;
      this.backends.delete(key);
      // Requests in flight finish; idle connections close now.
      backend.client.close().catch(() => undefined);
    }
    return new Map(this.pools);
  }

  /** The members' health of a pool in use, by memberKey(); {} for a pool nothing uses. */
  health(poolId: string): Record<string, MemberHealth> {
    return this.pools.get(poolId)?.health.snapshot() ?? {};
  }

  async close(): Promise<void> {
    for (const runtime of this.pools.values()) runtime.health.stop();
    this.pools.clear();
    const backends = [...this.backends.values()];
    this.backends.clear();
    await Promise.all(backends.map((backend) => backend.client.destroy().catch(() => undefined)));
  }

  private build(config: PoolRuntimeConfig, previous: PoolRuntime | undefined): PoolRuntime {
    const members = Array.isArray(config.members) ? config.members : [];
    const checkSignature = JSON.stringify([
      members.map((member) => [member.address, member.port]),
      config.healthCheck?.path,
      config.healthCheck?.intervalSeconds,
      config.healthCheck?.healthyThreshold,
      config.healthCheck?.unhealthyThreshold,
    ]);
    const signature = JSON.stringify([checkSignature, config.algorithm, members.map((member) => member.weight)]);
    if (previous && previous.signature === signature) {
      previous.name = config.name;
      return previous;
    }
    let health: HealthChecker;
    if (previous && previous.checkSignature === checkSignature) health = previous.health;
    else {
      previous?.health.stop();
      health = new HealthChecker(members, config.healthCheck, this.onHealthChange);
      health.start();
    }
    const slots: MemberSlot[] = members.map((member) => {
      const key = memberKey(member);
      return {
        key,
        address: member.address,
        port: member.port,
        weight: Math.max(1, Math.floor(member.weight) || 1),
        backend: this.backend(key, member.address, member.port),
        currentWeight: 0,
      };
    });
    const runtime = new PoolRuntime(config.id, config.name, config.algorithm === "least_connections" ? "least_connections" : "round_robin", slots, health, checkSignature, signature);
    if (!previous || previous.health !== health) this.onHealthChange();
    return runtime;
  }

  private backend(key: string, address: string, port: number): MemberBackend {
    let backend = this.backends.get(key);
    if (!backend) {
      const client = new (undiciPool())(origin(address, port), {
        connections: MEMBER_MAX_CONNECTIONS,
        connectTimeout: this.connectTimeoutMs,
        keepAliveTimeout: MEMBER_KEEP_ALIVE_MS,
        keepAliveMaxTimeout: MEMBER_KEEP_ALIVE_MS,
        // One request per connection at a time: a member that fails mid-request then costs one request.
        pipelining: 1,
      });
      backend = { client, active: 0 };
      this.backends.set(key, backend);
    }
    return backend;
  }
}

let loadedPool: typeof Pool | null = null;

/**
 * undici, loaded when the first member is (not at start): it adds ~8 MiB to the process (its HTTP
 * parser is WebAssembly), which a data plane whose listeners all answer with the echo never needs.
 * A plain require because a pool is built synchronously inside apply().
 */
function undiciPool(): typeof Pool {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedPool ??= (require("undici") as typeof import("undici")).Pool;
  return loadedPool;
}
