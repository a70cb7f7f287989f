// The connection log of one listener, as the API shows it: from the store, so connections made by
// a stand-alone data plane process appear as well as those of the embedded endpoints.
import { notFound } from "../errors";
import { listConnectionEvents, type ConnectionEventView } from "../store/connections-repo";
import { findListener } from "../store/listeners-repo";
import type { Page, PageRequest } from "../store/pagination";
import type { Runtime } from "./runtime";

export async function listListenerConnections(rt: Runtime, listenerId: string, page: PageRequest): Promise<Page<ConnectionEventView>> {
  if (!(await findListener(rt.store.db, listenerId))) throw notFound("This listener");
  // The embedded endpoints' records may still wait for their batch: write them first, so a client
  // that just connected finds itself in the log (a stand-alone process writes within ~200 ms).
  await rt.connectionRecorder?.flush();
  return listConnectionEvents(rt.store.db, listenerId, page);
}
