import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/shell/not-found-panel";

export const metadata: Metadata = { title: "Listener not found" };

// A listener lives under a load balancer; the list is the way back to every one of them.
export default function NotFound() {
  return <NotFoundPanel what="Listener" backHref="/load-balancers" backLabel="Back to Load Balancers" />;
}
