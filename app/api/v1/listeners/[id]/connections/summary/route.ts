import { apiMethods } from "@/lib/api/methods";
import { connectionSummaryRoute } from "@/lib/api/listeners-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ GET: connectionSummaryRoute });
