export { openApiRoute as GET } from "@/lib/api/openapi";
