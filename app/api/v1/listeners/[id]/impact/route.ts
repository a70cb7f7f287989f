import { apiMethods } from "@/lib/api/methods";
import { previewImpactRoute } from "@/lib/api/listeners-routes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD } = apiMethods({ POST: previewImpactRoute });
