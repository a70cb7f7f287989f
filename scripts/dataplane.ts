// `npm run dataplane`: serves every listener from the store, without the console.
//
// Same environment as the console (DATA_DIR, DATABASE_URL, CERTGATE_SECRET, DATAPLANE_HOST); no demo
// is seeded. Run it INSTEAD of the console's embedded endpoints: start the console with
// CERTGATE_EMBEDDED_DATAPLANE=0, or both will try to bind the same ports. Saves made in the console
// are served within ~50 ms; the console shows this process's endpoint states.
//
// Run with `node --conditions=react-server` (package.json does): the store is marked
// `import "server-only"` so that no client component can bundle it, and that package only loads
// under the react-server condition, which Next's server sets for the console and this flag sets
// for this process. The condition changes nothing else here: no module this process loads has a
// react-server build but server-only.
import { readSettings } from "../lib/config";
import { startStandaloneDataplane } from "../lib/services/standalone-dataplane";

const log = (line: string) => console.log(`[certgate dataplane] ${line}`);

async function main(): Promise<void> {
  const node = await startStandaloneDataplane(readSettings(), log);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: closing endpoints`);
    node.close().then(
      () => {
        log("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
});
