// What the impact preview says, as plain functions (the components only lay it out), so the wording
// and its counting are tested without a browser.
import type { ConnectionSummaryView, ImpactView } from "@/components/data/api";
import type { ClientAuthFormValues } from "@/lib/schemas/listeners";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const clients = (n: number) => plural(n, "client");

/** The preview's one line: nobody seen, who would be refused, or that everyone seen still gets in. */
export function impactHeadline(impact: Pick<ImpactView, "clientsSeen" | "wouldBeRefused">, hours: number): { text: string; tone: "neutral" | "green" | "amber" } {
  const window = `in the last ${hours} hours`;
  if (impact.clientsSeen === 0) return { text: `No clients seen on this listener ${window}.`, tone: "neutral" };
  const refused = impact.wouldBeRefused.length;
  if (refused === 0) {
    const all = impact.clientsSeen === 1 ? "The 1 client" : `All ${impact.clientsSeen} clients`;
    return { text: `${all} seen ${window} would still be let in.`, tone: "green" };
  }
  return { text: `${refused} of ${clients(impact.clientsSeen)} seen ${window} would be refused.`, tone: "amber" };
}

/** Clients the log no longer holds a certificate for, so nobody can say how they would fare. */
export function unassessedNote(unassessed: number): string | null {
  if (unassessed === 0) return null;
  return `${unassessed === 1 ? "1 client" : `${unassessed} clients`} seen could not be judged: the connection log did not keep ${unassessed === 1 ? "its certificate" : "their certificates"}.`;
}

/** The extra question before a save that refuses clients. */
export function refusalQuestion(refused: number, hours: number): string {
  return `This change refuses ${clients(refused)} seen in the last ${hours} hours. Save anyway?`;
}

/** "3f2a9c1d…e4b0": enough to tell certificates apart in a table; the full one goes in the title. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 16 ? `${fingerprint.slice(0, 8)}…${fingerprint.slice(-4)}` : fingerprint;
}

/**
 * The clientAuth part of a listener PATCH: only what differs from the values the dialog opened with
 * (as patchOf sends it), or null when nothing differs.
 */
export function clientAuthPatchOf(values: ClientAuthFormValues, initial: ClientAuthFormValues): Record<string, unknown> | null {
  const clientAuth: Record<string, unknown> = {};
  if (values.clientAuthEnabled !== initial.clientAuthEnabled) clientAuth.enabled = values.clientAuthEnabled;
  if (values.clientAuthMode !== initial.clientAuthMode) clientAuth.mode = values.clientAuthMode;
  if (values.caCertificateId !== initial.caCertificateId) clientAuth.caCertificateId = values.caCertificateId || null;
  if (values.trustedCertificateIds.join() !== initial.trustedCertificateIds.join()) clientAuth.trustedCertificateIds = values.trustedCertificateIds;
  return Object.keys(clientAuth).length > 0 ? clientAuth : null;
}

/** The body the impact endpoint judges: the PATCH's clientAuth part (what decides who is let in), or {} for the settings as saved. */
export function impactBodyOf(clientAuthPatch: Record<string, unknown> | null): { clientAuth?: Record<string, unknown> } {
  return clientAuthPatch ? { clientAuth: clientAuthPatch } : {};
}

/** Report mode's running count: "7 connections from 2 clients … would have been refused by Required", or that none would have been. */
export function wouldRejectLine(summary: ConnectionSummaryView, hours: number): string {
  if (summary.connections === 0) return `No connections in the last ${hours} hours yet.`;
  if (summary.wouldReject === 0) {
    return `None of the ${plural(summary.connections, "connection")} in the last ${hours} hours would have been refused by Required.`;
  }
  return `${plural(summary.wouldReject, "connection")} from ${clients(summary.wouldRejectClients)} in the last ${hours} hours would have been refused by Required (of ${summary.connections} in all).`;
}
