// How the Client CA pickers order and narrow long certificate lists, kept apart from the markup
// so the rules are tested on their own (certificate-choices.test.ts).
import type { CertificateView } from "@/components/data/api";

type Named = Pick<CertificateView, "id" | "name" | "subject" | "issuer">;

/** Whether a typed filter finds this certificate: by name, subject or issuer, any case. */
export function matchesFilter(certificate: Named, filter: string): boolean {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${certificate.name} ${certificate.subject} ${certificate.issuer}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** A client certificate the CA may have issued: its issuer names the CA's subject. */
export function issuedBy(client: Named, ca: Named | undefined): boolean {
  return ca !== undefined && client.issuer === ca.subject;
}

export interface ClientChoice<T extends Named> {
  certificate: T;
  chosen: boolean;
  issuedByCa: boolean;
}

/**
 * The client certificates to list: the chosen ones always (a filter never hides what is
 * picked), then those issued by the chosen CA, then the rest, each group by name.
 */
export function clientChoices<T extends Named>(certificates: T[], { chosen, ca, filter }: { chosen: string[]; ca?: Named; filter: string }): ClientChoice<T>[] {
  const rank = (c: ClientChoice<T>) => (c.chosen ? 0 : c.issuedByCa ? 1 : 2);
  return certificates
    .map((certificate) => ({ certificate, chosen: chosen.includes(certificate.id), issuedByCa: issuedBy(certificate, ca) }))
    .filter((c) => c.chosen || matchesFilter(c.certificate, filter))
    .sort((a, b) => rank(a) - rank(b) || a.certificate.name.localeCompare(b.certificate.name));
}

/** The CA certificates to offer: those the filter finds, by name, and the chosen one always. */
export function caChoices<T extends Named>(certificates: T[], { chosenId, filter }: { chosenId: string; filter: string }): T[] {
  return certificates
    .filter((c) => c.id === chosenId || matchesFilter(c, filter))
    .sort((a, b) => a.name.localeCompare(b.name));
}
