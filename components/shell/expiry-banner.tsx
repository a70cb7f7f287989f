"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { daysLeft } from "@/components/certificates/format";
import { formatDate } from "@/components/ui/date-time";
import { queries } from "@/components/data/queries";

const WARN_DAYS = 30;

/** On every page: a certificate a listener depends on expires soon (or has expired). */
export function ExpiryBanner() {
  const certificates = useQuery({ ...queries.certificates(), refetchInterval: 60_000 });
  const expiring = (certificates.data?.items ?? []).filter((c) => c.usedBy.length > 0 && daysLeft(c.notAfter) < WARN_DAYS);
  // A CRL in force past its next update is still applied, but the CA has published (or should have) a newer one.
  const staleCrls = (certificates.data?.items ?? []).flatMap((c) => c.crlsPastNextUpdate.map((crl) => ({ certificate: c, crl })));
  if (expiring.length === 0 && staleCrls.length === 0) return null;
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <ul className="mx-auto max-w-6xl space-y-1 px-4 py-2 text-sm">
        {expiring.map((c) => {
          const days = daysLeft(c.notAfter);
          return (
            <li key={c.id}>
              Certificate{" "}
              <Link href={`/certificates/${c.id}`} className="font-semibold underline">
                {c.name}
              </Link>{" "}
              {days < 0 ? "has expired" : `expires in ${days} day${days === 1 ? "" : "s"}`} and is used by {c.usedBy.map((u) => u.name).join(", ")}. Upload a
              renewed certificate and switch the listener(s) to it.
            </li>
          );
        })}
        {staleCrls.map(({ certificate, crl }) => (
          <li key={crl.id}>
            The CRL in force for CA certificate{" "}
            <Link href={`/certificates/${certificate.id}`} className="font-semibold underline">
              {certificate.name}
            </Link>{" "}
            is past its next update ({formatDate(crl.nextUpdate)}); it is still applied. Upload the CA&apos;s current CRL.
          </li>
        ))}
      </ul>
    </div>
  );
}
