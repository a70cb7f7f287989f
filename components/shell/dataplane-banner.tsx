"use client";
import { useQuery } from "@tanstack/react-query";
import { queries } from "@/components/data/queries";

/** On every page: no data plane is running, so no listener is served, and what to start. */
export function DataplaneBanner() {
  // Polled: the stand-alone data plane can stop or start at any time without the console knowing.
  const dataplane = useQuery({ ...queries.dataplane(), refetchInterval: 5_000 });
  if (!dataplane.data || dataplane.data.running) return null;
  return (
    <div role="alert" className="border-b border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <p className="mx-auto max-w-6xl px-4 py-2 text-sm">
        <strong>No data plane is running:</strong> no listener is served, whatever is saved here.{" "}
        {dataplane.data.mode === "standalone" ? (
          <>
            Start it with <code className="font-mono">npm run dataplane</code> (same <code className="font-mono">DATA_DIR</code> /{" "}
            <code className="font-mono">DATABASE_URL</code> as the console).
          </>
        ) : (
          <>Restart the console with <code className="font-mono">npm start</code>.</>
        )}
      </p>
    </div>
  );
}
