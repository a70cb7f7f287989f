import { CertificateDetailsPage } from "@/components/certificates/certificate-details-page";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CertificateDetailsPage id={id} />;
}
