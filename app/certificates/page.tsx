import type { Metadata } from "next";
import { CertificatesPage } from "@/components/certificates/certificates-page";

export const metadata: Metadata = { title: "Certificates" };
export default CertificatesPage;
