import { describe, expect, it } from "vitest";
import { certificateIdsInChange, describeChange } from "./describe-change";

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
});
