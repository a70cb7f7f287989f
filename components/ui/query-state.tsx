import type { ReactNode } from "react";

/** What QueryState needs of a useQuery or useInfiniteQuery result. */
interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  data: T | undefined;
}

/**
 * Loading and error states for a query, the same on every page. Pages render on the server with
 * their data, so "Loading…" only shows where a query starts in the browser (a filter changed).
 */
export function QueryState<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  if (query.isError || query.data === undefined) {
    return (
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        {query.error?.message ?? "The console could not read this page's data."}
      </p>
    );
  }
  return <>{children(query.data)}</>;
}
