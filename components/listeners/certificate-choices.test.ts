import { describe, expect, it } from "vitest";
import { caChoices, clientChoices, matchesFilter } from "./certificate-choices";

const cert = (id: string, name: string, subject: string, issuer: string) => ({ id, name, subject, issuer });
const corpCa = cert("ca1", "corp-root", "CN=Corp Root,O=Corp", "CN=Corp Root,O=Corp");
const clients = [
  cert("c1", "zeta", "CN=zeta", "CN=Corp Root,O=Corp"),
  cert("c2", "alpha", "CN=alpha", "CN=Other CA"),
  cert("c3", "beta", "CN=beta", "CN=Corp Root,O=Corp"),
  cert("c4", "gamma", "CN=gamma", "CN=Other CA"),
];

describe("certificate choices", () => {
  it("finds a certificate by any word of its name, subject or issuer, in any case", () => {
    expect(matchesFilter(clients[0], "")).toBe(true);
    expect(matchesFilter(clients[0], "ZETA")).toBe(true);
    expect(matchesFilter(clients[0], "corp zeta")).toBe(true);
    expect(matchesFilter(clients[0], "corp alpha")).toBe(false);
  });

  it("lists the chosen first, then those the CA issued, then the rest, each by name", () => {
    const order = clientChoices(clients, { chosen: ["c4"], ca: corpCa, filter: "" }).map((c) => c.certificate.name);
    expect(order).toEqual(["gamma", "beta", "zeta", "alpha"]);
    const flags = clientChoices(clients, { chosen: [], ca: corpCa, filter: "" }).map((c) => [c.certificate.name, c.issuedByCa]);
    expect(flags).toEqual([["beta", true], ["zeta", true], ["alpha", false], ["gamma", false]]);
  });

  it("narrows by the filter but never hides a chosen certificate", () => {
    const found = clientChoices(clients, { chosen: ["c2"], ca: undefined, filter: "zeta" }).map((c) => c.certificate.name);
    expect(found).toEqual(["alpha", "zeta"]);
    expect(clientChoices(clients, { chosen: [], ca: undefined, filter: "nothing-like-this" })).toEqual([]);
  });

  it("keeps the chosen CA among the filtered CA choices", () => {
    const cas = [corpCa, cert("ca2", "other", "CN=Other CA", "CN=Other CA")];
    expect(caChoices(cas, { chosenId: "ca1", filter: "other" }).map((c) => c.id)).toEqual(["ca1", "ca2"]);
    expect(caChoices(cas, { chosenId: "", filter: "other" }).map((c) => c.id)).toEqual(["ca2"]);
  });
});
