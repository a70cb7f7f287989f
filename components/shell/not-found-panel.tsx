import Link from "next/link";

/** What an unknown or deleted id shows (with HTTP 404): what is missing, and the way back. */
export function NotFoundPanel({ what, backHref, backLabel }: { what: string; backHref: string; backLabel: string }) {
  return (
    <section className="space-y-3" aria-labelledby="not-found">
      <h1 id="not-found" className="text-2xl font-semibold">
        {`${what} not found`}
      </h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {`There is no ${what.toLowerCase()} at this address. It may have been deleted, or the link is mistyped.`}
      </p>
      <p>
        <Link href={backHref} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
          ← {backLabel}
        </Link>
      </p>
    </section>
  );
}
