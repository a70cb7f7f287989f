"use client";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** A page that failed to render on the server (database unreachable, say): say so, offer a retry. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <section className="space-y-3" aria-labelledby="page-error">
      <h1 id="page-error" className="text-2xl font-semibold">
        This page could not be loaded
      </h1>
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        The console could not read its data. Check that certgate is running and its database is reachable, then try again
        {error.digest ? ` (the server log names this error ${error.digest})` : ""}.
      </p>
      <Button variant="primary" onClick={reset}>
        Try again
      </Button>
    </section>
  );
}
