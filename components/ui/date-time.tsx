// The one way the console shows a point in time: "2025-06-01 14:03 UTC". UTC and a fixed format,
// so the server's HTML and the browser's render agree (no hydration mismatch from locales or
// time zones) and every page reads the same.

export function formatDateTime(iso: string, precision: "minutes" | "seconds" = "minutes"): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, precision === "seconds" ? 19 : 16).replace("T", " ")} UTC`;
}

/** The calendar day only, for certificate validity. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/** `precision="seconds"` where events a second apart must read apart (the connection log). */
export function DateTime({ value, precision = "minutes" }: { value: string; precision?: "minutes" | "seconds" }) {
  return (
    <time dateTime={value} className="whitespace-nowrap">
      {formatDateTime(value, precision)}
    </time>
  );
}
