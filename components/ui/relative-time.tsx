"use client";
// "3 s ago" for times that matter by how recent they are (a data-plane node's last heartbeat), with
// the exact time (components/ui/date-time.tsx's format) as the element's title and datetime. The
// server's HTML and the first browser render show the exact time (they cannot agree on "now");
// the relative text takes over once the page runs, and ticks every second.
import { useSyncExternalStore } from "react";
import { formatDateTime } from "./date-time";

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago"; a time ahead of `now` (clock skew) reads "just now". */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.floor((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 1) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

// One clock for every RelativeTime on the page, running only while one is shown.
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const subscribers = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  subscribers.add(onChange);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of subscribers) notify();
    }, 1000);
  }
  return () => {
    subscribers.delete(onChange);
    if (subscribers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// Stable between ticks, as useSyncExternalStore requires of a snapshot.
const clientNow = () => (now ||= Date.now());
const serverNow = () => null;

export function RelativeTime({ value }: { value: string }) {
  const current = useSyncExternalStore(subscribe, clientNow, serverNow);
  const exact = formatDateTime(value, "seconds");
  return (
    <time dateTime={value} title={exact} className="whitespace-nowrap">
      {current === null ? exact : formatRelative(value, current)}
    </time>
  );
}
