import { describe, expect, it } from "vitest";
import { actionLabel, certificateIdsInChange, certificateIdsInSettings, describeChange, describeSetting } from "./describe-change";

describe("describeChange", () => {
  it("lists only what changed, with certificate names", () => {
    const lines = describeChange(
      {
        before: { name: "web", clientAuth: { enabled: false, caCertificateId: null, trustedCertificateIds: [] } },
        after: { name: "web", clientAuth: { enabled: true, caCertificateId: "c1", trustedCertificateIds: [] } },
      },
      (id) => (id === "c1" ? "corp-root" : id),
    );
    expect(lines).toEqual([
      { label: "Client CA", before: "disabled", after: "enabled" },
      { label: "Client CA certificate", before: "none", after: "corp-root" },
    ]);
  });

  it("reads a pool change: members as address:port ×weight, the default pool as its id", () => {
    const lines = describeChange({
      before: { algorithm: "round_robin", members: [{ address: "10.0.0.1", port: 80, weight: 1 }], healthCheck: { path: "/", intervalSeconds: 5 } },
      after: {
        algorithm: "least_connections",
        members: [
          { address: "10.0.0.1", port: 80, weight: 1 },
          { address: "2001:db8::1", port: 8080, weight: 3 },
        ],
        healthCheck: { path: "/healthz", intervalSeconds: 5 },
      },
    });
    expect(lines).toEqual([
      { label: "Algorithm", before: "round_robin", after: "least_connections" },
      { label: "Members", before: "10.0.0.1:80 ×1", after: "10.0.0.1:80 ×1, [2001:db8::1]:8080 ×3" },
      { label: "Health check path", before: "/", after: "/healthz" },
    ]);
    expect(describeChange({ before: { defaultPoolId: null }, after: { defaultPoolId: "p1" } }, () => "a certificate")).toEqual([
      { label: "Default pool", before: "none", after: "p1" },
    ]);
    expect(certificateIdsInChange({ before: { defaultPoolId: null }, after: { defaultPoolId: "p1" } })).toEqual([]);
  });

  it("says nothing for events without a before and after", () => {
    expect(describeChange({ kind: "ca" })).toEqual([]);
  });

  it("finds the certificate ids a change mentions, once each, so their names can be looked up", () => {
    const ids = certificateIdsInChange({
      before: { certificateId: "s1", clientAuth: { caCertificateId: null, trustedCertificateIds: [] } },
      after: { certificateId: "s1", clientAuth: { caCertificateId: "c1", trustedCertificateIds: ["t1", "t2"] } },
    });
    expect(ids.sort()).toEqual(["c1", "s1", "t1", "t2"]);
    expect(certificateIdsInChange({ kind: "ca" })).toEqual([]);
  });

  it("reads one setting a revert would overwrite like a change line, certificates by name", () => {
    const names = (id: string) => ({ c1: "client-one", c2: "client-two" })[id] ?? id;
    expect(describeSetting("clientAuth.trustedCertificateIds", ["c1", "c2"], [], names)).toEqual({
      label: "Trusted client certificates",
      before: "client-one, client-two",
      after: "none",
    });
    expect(describeSetting("clientAuth.enabled", true, false)).toEqual({ label: "Client CA", before: "enabled", after: "disabled" });
    expect(describeSetting("port", 9443, 8443)).toEqual({ label: "Port", before: "9443", after: "8443" });
    expect(describeSetting("defaultPoolId", "p1", null, () => "a certificate")).toEqual({ label: "Default pool", before: "p1", after: "none" });
    expect(
      certificateIdsInSettings([
        { field: "clientAuth.trustedCertificateIds", values: [["c1"], []] },
        { field: "clientAuth.caCertificateId", values: ["ca1", null] },
        { field: "defaultPoolId", values: ["p1", null] },
      ]),
    ).toEqual(["c1", "ca1"]);
  });

  it("names actions, a revert included, and shows one it does not know as it is", () => {
    expect(actionLabel("listener.reverted")).toBe("Change reverted");
    expect(actionLabel("listener.client_ca_enabled")).toBe("Client CA enabled");
    expect(actionLabel("something.new")).toBe("something.new");
  });
});
