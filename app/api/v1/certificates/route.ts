import { apiMethods } from "@/lib/api/methods";
import { listCertificatesRoute, uploadCertificateRoute } from "@/lib/api/certificates-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listCertificatesRoute, POST: uploadCertificateRoute });
