export { getCertificateRoute as GET, deleteCertificateRoute as DELETE } from "@/lib/api/certificates-routes";
