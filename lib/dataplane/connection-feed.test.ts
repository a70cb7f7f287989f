import { describe, expect, it } from "vitest";
import { ConnectionFeed } from "./connection-feed";
import type { ConnectionRecord } from "./types";

const record = (n: number): ConnectionRecord => ({
  at: new Date(n).toISOString(),
  remoteAddress: `10.0.0.${n % 250}`,
  outcome: "accepted",
  reason: "ok",
  tlsProtocol: "TLSv1.3",
  clientCertificate: null,
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
