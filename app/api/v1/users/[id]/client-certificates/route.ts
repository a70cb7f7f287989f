import { apiMethods } from "@/lib/api/methods";
import { listUserCertificatesRoute, bindUserCertificateRoute } from "@/lib/api/identity-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: listUserCertificatesRoute, POST: bindUserCertificateRoute });
