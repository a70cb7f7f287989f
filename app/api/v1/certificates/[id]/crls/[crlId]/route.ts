import { apiMethods } from "@/lib/api/methods";
import { deleteCrlRoute } from "@/lib/api/crls-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ DELETE: deleteCrlRoute });
