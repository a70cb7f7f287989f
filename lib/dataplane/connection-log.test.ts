import { describe, expect, it } from "vitest";
import { ConnectionFeed, ConnectionLog } from "./connection-log";
import type { ConnectionRecord } from "./types";

const record = (n: number): ConnectionRecord => ({
  at: new Date(n).toISOString(),
  remoteAddress: `10.0.0.${n % 250}`,
  outcome: "accepted",
  reason: "ok",
  tlsProtocol: "TLSv1.3",
  clientCertificate: null,
});

describe("ConnectionLog", () => {
  it("keeps the newest records, newest first, bounded by its capacity", () => {
    const log = new ConnectionLog(3);
    expect(log.list()).toEqual([]);
    for (let n = 1; n <= 5; n++) log.push(record(n));
    expect(log.size).toBe(3);
    expect(log.list().map((r) => Date.parse(r.at))).toEqual([5, 4, 3]);
    expect(log.list(2).map((r) => Date.parse(r.at))).toEqual([5, 4]);
    expect(log.list(0)).toEqual([]);
    expect(log.list(99)).toHaveLength(3);
  });

  it("keeps 10,000 per listener by default", () => {
    const log = new ConnectionLog();
    for (let n = 0; n < 10_050; n++) log.push(record(n));
    expect(log.size).toBe(10_000);
    expect(Date.parse(log.list(1)[0].at)).toBe(10_049);
    expect(Date.parse(log.list().at(-1)!.at)).toBe(50);
  });

  it("hands out copies, so readers cannot rewrite history", () => {
    const log = new ConnectionLog(2);
    log.push(record(1));
    log.list()[0].reason = "expired";
    expect(log.list()[0].reason).toBe("ok");
  });
});

describe("ConnectionFeed", () => {
  it("delivers in one batch after the current turn, and isolates a throwing hook", async () => {
    const seen: number[] = [];
    const lines: string[] = [];
    const feed = new ConnectionFeed((_id, r) => {
      const n = Date.parse(r.at);
      if (n === 2) throw new Error("boom");
      seen.push(n);
    }, (line) => lines.push(line));
    feed.publish("a", record(1));
    feed.publish("a", record(2));
    feed.publish("a", record(3));
    expect(seen).toEqual([]); // nothing runs inside the caller's (socket) callback
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([1, 3]);
    expect(lines).toEqual(["onConnection hook failed for listener a: boom"]);
  });
});
