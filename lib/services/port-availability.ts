// A listener's port must be free for the data plane to serve it. Another certgate listener on the
// port is the store's 409 (checked first, in checkListener); a port another program holds is
// refused here with 422 naming that program, instead of being saved into an endpoint in "error".
import { describeTakenPort, probePort } from "../dataplane";
import { invalid } from "../errors";
import type { Runtime } from "./runtime";

/** Throws 422 (field "port") when another program holds `port` on the data plane's host. */
export async function refuseTakenPort(rt: Runtime, port: number): Promise<void> {
  const host = rt.settings.dataplaneHost;
  const probe = await probePort(host, port);
  if (probe.taken) throw invalid(describeTakenPort(host, port, probe.holder), "port");
}
