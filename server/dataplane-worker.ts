// A worker of `npm run dataplane` (compiled to dist/dataplane-worker.js): serves what its primary
// (server/dataplane.ts) sends. It imports only lib/dataplane: no store, no database driver.
import { runDataplaneWorker } from "../lib/dataplane/cluster-worker";

runDataplaneWorker((line) => console.log(`[certgate dataplane worker ${process.pid}] ${line}`));
