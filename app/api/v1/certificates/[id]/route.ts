import { apiMethods } from "@/lib/api/methods";
import { getCertificateRoute, deleteCertificateRoute } from "@/lib/api/certificates-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: getCertificateRoute, DELETE: deleteCertificateRoute });
