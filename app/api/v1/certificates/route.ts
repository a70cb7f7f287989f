export { listCertificatesRoute as GET, uploadCertificateRoute as POST } from "@/lib/api/certificates-routes";
