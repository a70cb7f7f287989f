"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { daysLeft } from "@/components/certificates/format";
import { queries } from "@/components/data/queries";

const WARN_DAYS = 30;

/** On every page: a certificate a listener depends on expires soon (or has expired). */
export function ExpiryBanner() {
  const certificates = useQuery({ ...queries.certificates(), refetchInterval: 60_000 });
  const expiring = (certificates.data?.items ?? []).filter((c) => c.usedBy.length > 0 && daysLeft(c.notAfter) < WARN_DAYS);
  if (expiring.length === 0) return null;
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
      </ul>
    </div>
  );
}
