// Health checks against real backends: members start unknown, thresholds settle them, a member that
// stops is taken out and one that comes back is put back, and the checks follow apply().
import { describe, expect, it } from "vitest";
import { dataplaneWithBackends, poolOf } from "../../test/backend";
import { eventually, httpListener } from "../../test/dataplane";
import { freePort } from "../../test/ports";

const { start, backend, key } = dataplaneWithBackends();

describe("pool health checks", () => {
  it("starts unknown, settles after the thresholds, reports each change, and checks the configured path", async () => {
    const up = await backend("up");
    let changes = 0;
    const dataplane = start({ onPoolHealthChange: () => (changes += 1) });
    const pool = poolOf([up], { healthCheck: { path: "/status", intervalSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2 } });
    // A member on a port nobody listens on: refused every time.
    const closedPort = await freePort();
    pool.members.push({ address: "127.0.0.1", port: closedPort, weight: 1 });
    await dataplane.apply([httpListener(await freePort(), { pool })]);

    expect(dataplane.poolHealth(pool.id)).toEqual({ [key(up)]: "unknown", [`127.0.0.1:${closedPort}`]: "unknown" });
    // One check (the first round) is not enough for a threshold of 2.
    await eventually(() => expect(up.checks.length).toBeGreaterThanOrEqual(1), 2_000);
    expect(dataplane.poolHealth(pool.id)[key(up)]).toBe("unknown");
    await eventually(
      () => expect(dataplane.poolHealth(pool.id)).toEqual({ [key(up)]: "healthy", [`127.0.0.1:${closedPort}`]: "unhealthy" }),
      4_000,
    );
    expect(up.checks[0].url).toBe("/status");
    expect(up.checks[0].method).toBe("GET");
    await eventually(() => expect(changes).toBeGreaterThanOrEqual(2));
    expect(dataplane.poolHealth("no-such-pool")).toEqual({});
  });

  it("treats 2xx/3xx as healthy and other statuses as unhealthy", async () => {
    const redirecting = await backend("redirecting");
    const erroring = await backend("erroring");
    const dataplane = start();
    const pool = poolOf([redirecting, erroring], { healthCheck: { path: "/healthz", intervalSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 } });
    redirecting.checkStatus = 302;
    erroring.checkStatus = 500;
    await dataplane.apply([httpListener(await freePort(), { pool })]);
    await eventually(() => expect(dataplane.poolHealth(pool.id)).toEqual({ [key(redirecting)]: "healthy", [key(erroring)]: "unhealthy" }), 3_000);
  });

  it("takes a stopped member out and puts it back when it answers again", async () => {
    const member = await backend("member");
    const dataplane = start();
    const pool = poolOf([member], { healthCheck: { path: "/healthz", intervalSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2 } });
    await dataplane.apply([httpListener(await freePort(), { pool })]);
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(member)]).toBe("healthy"), 4_000);
    await member.stop();
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(member)]).toBe("unhealthy"), 4_000);
    await member.start();
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(member)]).toBe("healthy"), 4_000);
  });

  it("keeps a pool's health across applies while it is unchanged, starts over when its members change, and stops when unused", async () => {
    const first = await backend("first");
    const second = await backend("second");
    const dataplane = start();
    const pool = poolOf([first]);
    const listener = httpListener(await freePort(), { pool });
    await dataplane.apply([listener]);
    await eventually(() => expect(dataplane.poolHealth(pool.id)[key(first)]).toBe("healthy"), 3_000);

    // Same pool (renamed only), another listener using it too: the health it learnt stays.
    const renamed = { ...pool, name: "renamed" };
    await dataplane.apply([{ ...listener, pool: renamed }, httpListener(await freePort(), { pool: renamed })]);
    expect(dataplane.poolHealth(pool.id)).toEqual({ [key(first)]: "healthy" });

    // Members changed: a new check, every member unknown until it settles.
    const changed = { ...pool, members: [...pool.members, { address: "127.0.0.1", port: second.port, weight: 1 }] };
    await dataplane.apply([{ ...listener, pool: changed }]);
    expect(dataplane.poolHealth(pool.id)).toEqual({ [key(first)]: "unknown", [key(second)]: "unknown" });
    await eventually(() => expect(dataplane.poolHealth(pool.id)).toEqual({ [key(first)]: "healthy", [key(second)]: "healthy" }), 3_000);

    // No listener uses it: nothing checks it any more.
    await dataplane.apply([{ ...listener, pool: null }]);
    expect(dataplane.poolHealth(pool.id)).toEqual({});
    const checksSoFar = first.checks.length + second.checks.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(first.checks.length + second.checks.length).toBe(checksSoFar);
  });
});
