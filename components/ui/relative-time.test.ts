import { describe, expect, it } from "vitest";
import { formatRelative } from "./relative-time";

describe("relative times", () => {
  it("tells how long ago, and reads a time ahead of the clock (skew) as just now", () => {
    const now = Date.parse("2026-01-02T00:00:00.000Z");
    const ago = (ms: number) => new Date(now - ms).toISOString();
    expect(formatRelative(ago(-3_000), now)).toBe("just now");
    expect(formatRelative(ago(400), now)).toBe("just now");
    expect(formatRelative(ago(4_200), now)).toBe("4 s ago");
    expect(formatRelative(ago(5 * 60_000 + 10), now)).toBe("5 min ago");
    expect(formatRelative(ago(3 * 3_600_000), now)).toBe("3 h ago");
    expect(formatRelative(ago(3 * 86_400_000), now)).toBe("3 days ago");
    expect(formatRelative("not a time", now)).toBe("not a time");
  });
});
