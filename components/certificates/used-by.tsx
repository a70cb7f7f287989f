import Link from "next/link";
import type { CertificateView } from "@/components/data/api";

/** The listeners using a certificate, each a link to its page. */
export function UsedBy({ usedBy, none = "—" }: { usedBy: CertificateView["usedBy"]; none?: string }) {
  if (usedBy.length === 0) return <>{none}</>;
  return (
    <ul className="flex flex-wrap gap-x-2">
      {usedBy.map((use) => (
        <li key={use.listenerId}>
          <Link href={`/listeners/${use.listenerId}`} className="text-blue-700 hover:underline dark:text-blue-300">
            {use.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
