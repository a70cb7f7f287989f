// The console's view of a stand-alone data plane (`npm run dataplane`), used when the console runs
// without its embedded endpoints (CERTGATE_EMBEDDED_DATAPLANE=0). It serves nothing itself: it shows
// the endpoint states (and pool members' health) the stand-alone process reports into the store, and makes a save wait until
// that process has applied it, so the API still answers after the change is in force (as with the
// embedded endpoints) and with the endpoint's real state (e.g. "error: port in use").
import type { Dataplane, EndpointStatus } from "../dataplane";
import type { Db } from "../store/database";
import { readConfigRevision, readDataplaneReport, type DataplaneReport } from "../store/dataplane-state-repo";

/** How often the stand-alone data plane rewrites its report while alive. */
export const REPORT_HEARTBEAT_MS = 2_000;
/** A report older than this means the process is gone (killed without a clean shutdown). */
const REPORT_STALE_MS = 5 * REPORT_HEARTBEAT_MS;
/** How long a save waits for the stand-alone process to apply it (it polls every 50 ms). */
const APPLY_WAIT_MS = 2_000;
const REFRESH_MS = 1_000;

const STOPPED: EndpointStatus = Object.freeze({ state: "stopped", error: null, url: "" });

function isAlive(report: DataplaneReport | null, now = Date.now()): report is DataplaneReport {
  return report !== null && !report.stopped && now - Date.parse(report.reportedAt) < REPORT_STALE_MS;
}

export function createReportedDataplane(db: Db, log: (line: string) => void = () => {}): Dataplane {
  let report: DataplaneReport | null = null;
  const refresh = async () => {
    try {
      report = await readDataplaneReport(db);
    } catch (error) {
      log(`could not read the data plane's report: ${(error as Error).message}`);
    }
  };
  // status() is synchronous (views call it per listener), so the report is kept fresh in the background.
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  timer.unref();
  void refresh();

  return {
    readsStore: true,
    async apply() {
      const saved = await readConfigRevision(db);
      const deadline = Date.now() + APPLY_WAIT_MS;
      for (;;) {
        await refresh();
        // Nobody to wait for, already applied, or too slow: answer with what is known.
        if (!isAlive(report) || report.revision >= saved || Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    status(listenerId) {
      if (!isAlive(report)) return { ...STOPPED };
      return { ...(report.endpoints[listenerId] ?? STOPPED) };
    },
    poolHealth(poolId) {
      if (!isAlive(report)) return {};
      return { ...report.pools?.[poolId] };
    },
    running() {
      return isAlive(report);
    },
    async close() {
      clearInterval(timer);
    },
  };
}
