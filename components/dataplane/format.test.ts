import { describe, expect, it } from "vitest";
import { listenerCounts, revisionStatus, storeOutageText, type NodeView } from "./format";

const node = (listeners: NodeView["listeners"]): NodeView => ({
  id: "a",
  hostname: "h",
  address: "127.0.0.1",
  version: "0.1.0",
  pid: 1,
  workers: 1,
  metricsUrl: null,
  startedAt: "2026-01-01T00:00:00.000Z",
  lastSeenAt: "2026-01-01T00:00:00.000Z",
  appliedRevision: 1,
  state: "up",
  listeners,
  lastStoreOutage: null,
});

describe("the Data plane page's wording", () => {
  it("says whether a node enforces the newest configuration", () => {
    expect(revisionStatus(42, 42)).toEqual({ text: "In sync", inSync: true });
    expect(revisionStatus(41, 42)).toEqual({ text: "Behind: 41 of 42", inSync: false });
  });

  it("counts a node's listeners by state and keeps each error with its listener", () => {
    const counts = listenerCounts(
      node({ l1: { state: "serving", error: null }, l2: { state: "error", error: "port in use" }, l3: { state: "stopped", error: null }, l4: { state: "serving", error: null } }),
    );
    expect(counts).toEqual({ serving: 2, stopped: 1, errors: [{ listenerId: "l2", error: "port in use" }] });
  });

  it("says when the node last lost the store, the day once when both ends share it", () => {
    expect(storeOutageText({ from: "2026-12-05T18:40:01.123Z", to: "2026-12-05T18:40:09.456Z" })).toBe(
      "Last lost the store from 2026-12-05 18:40:01 UTC to 18:40:09 UTC",
    );
    expect(storeOutageText({ from: "2026-12-05T23:59:58.000Z", to: "2026-12-06T00:00:03.000Z" })).toBe(
      "Last lost the store from 2026-12-05 23:59:58 UTC to 2026-12-06 00:00:03 UTC",
    );
  });
});
