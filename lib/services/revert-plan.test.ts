import { describe, expect, it } from "vitest";
import { patchableFields, planRevert } from "./revert-plan";

const settings = (clientAuth: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  name: "web",
  protocol: "HTTPS",
  port: 8443,
  certificateId: "s1",
  clientAuth: { enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [], ...clientAuth },
  defaultPoolId: null,
  ...rest,
});

describe("planning a revert", () => {
  it("knows every setting a PATCH can set, from its schema, and not the protocol", () => {
    expect(patchableFields().sort()).toEqual(
      [
        "certificateId",
        "clientAuth.caCertificateId",
        "clientAuth.enabled",
        "clientAuth.mode",
        "clientAuth.trustedCertificateIds",
        "defaultPoolId",
        "name",
        "port",
      ].sort(),
    );
  });

  it("restores what the event changed, and nothing the listener already has back", () => {
    const before = settings();
    const after = settings({ enabled: true, caCertificateId: "ca1" });
    expect(planRevert(before, after, after)).toEqual({
      patch: { clientAuth: { enabled: false, caCertificateId: null } },
      fields: ["clientAuth.enabled", "clientAuth.caCertificateId"],
      overwrites: [],
    });
    // Client CA turned off by hand since, its CA kept: only the CA is left to restore, and nothing is overwritten.
    expect(planRevert(before, after, settings({ enabled: false, caCertificateId: "ca1" }))).toEqual({
      patch: { clientAuth: { caCertificateId: null } },
      fields: ["clientAuth.caCertificateId"],
      overwrites: [],
    });
    expect(planRevert(before, after, before).fields).toEqual([]);
  });

  it("lists a setting changed again since as an overwrite, with its value now and the one restored", () => {
    const plan = planRevert(settings({}, { port: 8443 }), settings({}, { port: 9443 }), settings({ mode: "optional" }, { port: 10443 }));
    expect(plan).toEqual({ patch: { port: 8443 }, fields: ["port"], overwrites: [{ field: "port", current: 10443, restored: 8443 }] });
  });

  it("passes any mode on to the PATCH, whose schema decides, and ignores settings an old event did not record", () => {
    const plan = planRevert(settings({ mode: "report" }), settings({ mode: "required" }), settings({ mode: "required" }));
    expect(plan.patch).toEqual({ clientAuth: { mode: "report" } });
    const old = { name: "web", port: 8443, clientAuth: { enabled: false } };
    expect(planRevert(old, { ...old, clientAuth: { enabled: true } }, settings({ enabled: true, mode: "optional" })).patch).toEqual({ clientAuth: { enabled: false } });
  });
});
