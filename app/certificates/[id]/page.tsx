import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { CertificateDetailsPage } from "@/components/certificates/certificate-details-page";
import { loadCertificate, pageData } from "@/components/data/server";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const certificate = await loadCertificate((await params).id);
  return { title: `${certificate.name} · Certificates` };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await pageData.certificate(id)}>
      <CertificateDetailsPage id={id} />
    </HydrationBoundary>
  );
}
