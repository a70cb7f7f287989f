// Active health checks of one pool's members: an HTTP GET of the check path on each member every
// interval, on a fresh connection (agent: false), so a check never queues behind forwarded traffic
// and a member's keep-alive pool is never used to judge it.
//
// States (see docs/design.md, "Forwarding"): every member starts "unknown" and takes traffic (as
// Envoy does by default: a freshly saved pool serves at once instead of answering 503 for
// healthyThreshold × interval); healthyThreshold consecutive successes make it "healthy",
// unhealthyThreshold consecutive failures "unhealthy" (out of rotation) until healthyThreshold
// consecutive successes bring it back. 2xx and 3xx within the check timeout are a success,
// anything else (other status, refused, reset, timeout) a failure.
import http from "node:http";
import { memberKey, type HealthCheckRuntime, type MemberHealth, type PoolMemberRuntime } from "./types";

/** A check gets min(interval, 5 s) to answer with its status line and headers. */
export const HEALTH_CHECK_TIMEOUT_MS = 5_000;

interface MemberCheckState {
  readonly member: PoolMemberRuntime;
  health: MemberHealth;
  successes: number;
  failures: number;
  inFlight: http.ClientRequest | null;
}

export class HealthChecker {
  private readonly states = new Map<string, MemberCheckState>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly timeoutMs: number;

  constructor(
    members: readonly PoolMemberRuntime[],
    private readonly check: HealthCheckRuntime,
    /** Called whenever a member's health changes. */
    private readonly onChange: () => void,
  ) {
    for (const member of members) {
      this.states.set(memberKey(member), { member, health: "unknown", successes: 0, failures: 0, inFlight: null });
    }
    this.timeoutMs = Math.min(Math.max(1, check.intervalSeconds) * 1000, HEALTH_CHECK_TIMEOUT_MS);
  }

  /** Checks every member now, then every interval. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(this.round, Math.max(1, this.check.intervalSeconds) * 1000);
    this.timer.unref();
    this.round();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const state of this.states.values()) state.inFlight?.destroy();
  }

  /** A member's health; "unknown" for a key this pool does not have. */
  health(key: string): MemberHealth {
    return this.states.get(key)?.health ?? "unknown";
  }

  snapshot(): Record<string, MemberHealth> {
    const out: Record<string, MemberHealth> = {};
    for (const [key, state] of this.states) out[key] = state.health;
    return out;
  }

  private readonly round = (): void => {
    for (const state of this.states.values()) {
      // A check still waiting (a slow member) is not stacked on: its timeout settles it.
      if (!state.inFlight) this.probe(state);
    }
  };

  private probe(state: MemberCheckState): void {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      state.inFlight = null;
      clearTimeout(timer);
      request.destroy();
      if (!this.stopped) this.observe(state, ok);
    };
    const request = http.request({
      host: state.member.address,
      port: state.member.port,
      path: this.check.path.startsWith("/") ? this.check.path : `/${this.check.path}`,
      method: "GET",
      agent: false,
      headers: { "user-agent": "certgate-health-check", accept: "*/*", connection: "close" },
    });
    const timer = setTimeout(() => settle(false), this.timeoutMs);
    timer.unref();
    request.on("response", (response) => {
      response.resume(); // the body is not needed
      settle(response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 400);
    });
    request.on("error", () => settle(false));
    state.inFlight = request;
    request.end();
  }

  private observe(state: MemberCheckState, ok: boolean): void {
    const before = state.health;
    if (ok) {
      state.failures = 0;
      state.successes += 1;
      if (before !== "healthy" && state.successes >= Math.max(1, this.check.healthyThreshold)) state.health = "healthy";
    } else {
      state.successes = 0;
      state.failures += 1;
      if (before !== "unhealthy" && state.failures >= Math.max(1, this.check.unhealthyThreshold)) state.health = "unhealthy";
    }
    if (state.health !== before) this.onChange();
  }
}
