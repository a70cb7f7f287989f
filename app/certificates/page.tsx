import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { CertificatesPage } from "@/components/certificates/certificates-page";
import { pageData } from "@/components/data/server";

export const metadata: Metadata = { title: "Certificates" };

export default async function Page() {
  return (
    <HydrationBoundary state={await pageData.certificates()}>
      <CertificatesPage />
    </HydrationBoundary>
  );
}
