/** A page the signed-in role may not open: what it is, why not (the server's own sentence), the way back. */
export function ForbiddenPanel({ what, reason }: { what: string; reason: string }) {
  return (
    <section className="space-y-3" aria-labelledby="forbidden">
      <h1 id="forbidden" className="text-2xl font-semibold">
        {what}
      </h1>
      <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
        {reason}
      </p>
    </section>
  );
}
