import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/shell/not-found-panel";

export const metadata: Metadata = { title: "User not found" };

export default function NotFound() {
  return <NotFoundPanel what="User" backHref="/load-balancers" backLabel="Back to Load Balancers" />;
}
