import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/shell/not-found-panel";

export const metadata: Metadata = { title: "Certificate not found" };

export default function NotFound() {
  return <NotFoundPanel what="Certificate" backHref="/certificates" backLabel="Back to Certificates" />;
}
