import { describe, expect, it } from "vitest";
import type { ImpactView } from "@/components/data/api";
import { clientAuthPatchOf, impactBodyOf, impactHeadline, refusalQuestion, shortFingerprint, unassessedNote, wouldRejectLine } from "./impact-text";

const refusedClient = (fingerprint: string | null): ImpactView["wouldBeRefused"][number] => ({
  subject: fingerprint ? "CN=other" : null,
  issuer: fingerprint ? "CN=Other CA" : null,
  fingerprintSha256: fingerprint,
  lastSeenAt: "2026-12-06T00:00:00.000Z",
  connections: 2,
  reason: fingerprint ? "untrusted_issuer" : "no_certificate",
});

describe("the impact preview's headline", () => {
  it("says plainly when nobody was seen", () => {
    expect(impactHeadline({ clientsSeen: 0, wouldBeRefused: [] }, 24)).toEqual({ text: "No clients seen on this listener in the last 24 hours.", tone: "neutral" });
  });

  it("counts the refused among the seen", () => {
    const impact = { clientsSeen: 3, wouldBeRefused: [refusedClient("a".repeat(64)), refusedClient(null)] };
    expect(impactHeadline(impact, 24)).toEqual({ text: "2 of 3 clients seen in the last 24 hours would be refused.", tone: "amber" });
    expect(impactHeadline({ clientsSeen: 1, wouldBeRefused: [refusedClient(null)] }, 24).text).toBe("1 of 1 client seen in the last 24 hours would be refused.");
  });

  it("is calm and green when everyone seen still gets in", () => {
    expect(impactHeadline({ clientsSeen: 4, wouldBeRefused: [] }, 24)).toEqual({ text: "All 4 clients seen in the last 24 hours would still be let in.", tone: "green" });
    expect(impactHeadline({ clientsSeen: 1, wouldBeRefused: [] }, 24).text).toBe("The 1 client seen in the last 24 hours would still be let in.");
  });
});

describe("the rest of the preview's words", () => {
  it("asks before a save that refuses, naming how many", () => {
    expect(refusalQuestion(3, 24)).toBe("This change refuses 3 clients seen in the last 24 hours. Save anyway?");
    expect(refusalQuestion(1, 24)).toBe("This change refuses 1 client seen in the last 24 hours. Save anyway?");
  });

  it("notes clients it could not judge, only when there are some", () => {
    expect(unassessedNote(0)).toBeNull();
    expect(unassessedNote(1)).toBe("1 client seen could not be judged: the connection log did not keep its certificate.");
    expect(unassessedNote(2)).toContain("2 clients seen could not be judged");
  });

  it("shortens a fingerprint to its ends", () => {
    const fingerprint = "0123456789abcdef".repeat(4);
    expect(shortFingerprint(fingerprint)).toBe("01234567…cdef");
  });

  it("counts report mode's would-be refusals", () => {
    const window = { from: "2026-12-05T00:00:00.000Z", to: "2026-12-06T00:00:00.000Z" };
    expect(wouldRejectLine({ window, connections: 0, accepted: 0, rejected: 0, wouldReject: 0, wouldRejectClients: 0 }, 24)).toBe("No connections in the last 24 hours yet.");
    expect(wouldRejectLine({ window, connections: 5, accepted: 5, rejected: 0, wouldReject: 0, wouldRejectClients: 0 }, 24)).toBe(
      "None of the 5 connections in the last 24 hours would have been refused by Required.",
    );
    expect(wouldRejectLine({ window, connections: 9, accepted: 9, rejected: 0, wouldReject: 7, wouldRejectClients: 2 }, 24)).toBe(
      "7 connections from 2 clients in the last 24 hours would have been refused by Required (of 9 in all).",
    );
  });
});

describe("what the preview is asked about", () => {
  const initial = { clientAuthEnabled: false, clientAuthMode: "required" as const, caCertificateId: "", trustedCertificateIds: [] };

  it("sends only the Client CA settings that differ from the saved ones, as the save does", () => {
    expect(clientAuthPatchOf(initial, initial)).toBeNull();
    expect(impactBodyOf(clientAuthPatchOf(initial, initial))).toEqual({});
    expect(impactBodyOf(clientAuthPatchOf({ ...initial, clientAuthEnabled: true, caCertificateId: "ca-1" }, initial))).toEqual({
      clientAuth: { enabled: true, caCertificateId: "ca-1" },
    });
    // "" in the picker is "None".
    expect(clientAuthPatchOf({ ...initial, caCertificateId: "" }, { ...initial, caCertificateId: "ca-1" })).toEqual({ caCertificateId: null });
    expect(clientAuthPatchOf({ ...initial, clientAuthMode: "report", trustedCertificateIds: ["c-1"] }, initial)).toEqual({
      mode: "report",
      trustedCertificateIds: ["c-1"],
    });
  });
});
