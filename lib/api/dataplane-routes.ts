import { toDataplaneView } from "../services/views";
import { apiRoute, json } from "./respond";

/** GET /api/v1/dataplane: whether a data plane is running (the console's "no data plane" banner). */
export const getDataplaneRoute = apiRoute("read", async (_request, rt) => json(toDataplaneView(rt.dataplane, rt.settings.embeddedDataplane !== false)));
