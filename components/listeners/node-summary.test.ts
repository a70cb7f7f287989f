import { describe, expect, it } from "vitest";
import type { ListenerView } from "@/components/data/api";
import { pendingNotice, savedMessage, summarizeEndpoint } from "./node-summary";

type Endpoint = ListenerView["endpoint"];
const url = "https://127.0.0.1:8443";
const nodes = (over: Partial<NonNullable<Endpoint["nodes"]>> = {}) => ({ live: 1, serving: 1, errors: [], pending: [], ...over });

describe("a listener's endpoint over the live data-plane nodes", () => {
  it("reads as before with one live node, and counts nodes when there are more", () => {
    expect(summarizeEndpoint({ url, state: "serving", error: null, nodes: nodes() })).toMatchObject({ label: "Serving", tone: "green" });
    expect(summarizeEndpoint({ url, state: "serving", error: null, nodes: nodes({ live: 2, serving: 2 }) })).toMatchObject({
      label: "Serving on 2 of 2 nodes",
      tone: "green",
    });
    // One node does not serve it (yet): not all is well, though nothing is in error.
    expect(summarizeEndpoint({ url, state: "serving", error: null, nodes: nodes({ live: 3, serving: 2 }) })).toMatchObject({
      label: "Serving on 2 of 3 nodes",
      tone: "amber",
    });
  });

  it("names each node an error is on", () => {
    const summary = summarizeEndpoint({
      url,
      state: "error",
      error: "On node b: port 8443 is in use",
      nodes: nodes({ live: 2, serving: 1, errors: [{ nodeId: "b", hostname: "host-b", error: "port 8443 is in use" }] }),
    });
    expect(summary).toEqual({ label: "Error on 1 of 2 nodes, serving on 1", tone: "red", errors: ["On node b: port 8443 is in use"], pending: null });
    const nowhere = nodes({ live: 2, serving: 0, errors: [{ nodeId: "a", hostname: "h", error: "x" }, { nodeId: "b", hostname: "h", error: "y" }] });
    expect(summarizeEndpoint({ url, state: "error", error: "On node a: x (and on 1 more node)", nodes: nowhere })).toMatchObject({
      label: "Error on 2 of 2 nodes",
      errors: ["On node a: x", "On node b: y"],
    });
  });

  it("falls back to the endpoint's own error and state without a node summary (a data plane the caller runs)", () => {
    expect(summarizeEndpoint({ url, state: "error", error: "port in use", nodes: undefined })).toEqual({ label: "Error", tone: "red", errors: ["port in use"], pending: null });
    expect(summarizeEndpoint({ url, state: "stopped", error: null })).toEqual({ label: "Stopped", tone: "slate", errors: [], pending: null });
  });

  it("says which nodes have not applied the newest change", () => {
    expect(pendingNotice([])).toBeNull();
    expect(pendingNotice([{ nodeId: "b", hostname: "h", appliedRevision: 7 }])).toBe("Not yet in force on node b (applied revision 7)");
    expect(
      pendingNotice([
        { nodeId: "a", hostname: "h", appliedRevision: 6 },
        { nodeId: "b", hostname: "h", appliedRevision: 7 },
        { nodeId: "c", hostname: "h", appliedRevision: 5 },
      ]),
    ).toBe("Not yet in force on nodes a (applied revision 6), b (applied revision 7) and c (applied revision 5)");
    const pending = nodes({ live: 2, serving: 1, pending: [{ nodeId: "b", hostname: "h", appliedRevision: 7 }] });
    expect(summarizeEndpoint({ url, state: "serving", error: null, nodes: pending }).pending).toBe("Not yet in force on node b (applied revision 7)");
  });

  it("toasts a plain success only when every live node has the change in force", () => {
    expect(savedMessage("Listener web saved", { url, state: "serving", error: null, nodes: nodes() })).toEqual({ title: "Listener web saved", tone: "success" });
    const pending = nodes({ live: 2, pending: [{ nodeId: "b", hostname: "h", appliedRevision: 7 }] });
    expect(savedMessage("Listener web saved", { url, state: "serving", error: null, nodes: pending })).toEqual({
      title: "Listener web saved. Not yet in force on node b (applied revision 7): it applies the change when it catches up.",
      tone: "warning",
    });
  });
});
