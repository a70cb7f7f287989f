import { apiMethods } from "@/lib/api/methods";
import { openApiRoute } from "@/lib/api/openapi";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: openApiRoute });
