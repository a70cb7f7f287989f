#!/usr/bin/env node
// Compiles the process entries — server/console.ts (the console's HTTP server around Next),
// server/dataplane.ts (the data plane, run by the console as its child or on its own by
// `npm run dataplane`) and server/dataplane-worker.ts (a worker of the stand-alone one) — into dist/*.js, so nothing runs TypeScript at run time. Packages stay in
// node_modules (they are dependencies, so this works after `npm ci --omit=dev` too).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// `server-only` throws unless loaded under React's server condition, which only Next sets; these
// entries are server code by definition, so it resolves to nothing here.
const serverOnlyIsEmpty = {
  name: "server-only-is-empty",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

const common = { absWorkingDir: root, outdir: "dist", bundle: true, platform: "node", target: "node20", format: "cjs", plugins: [serverOnlyIsEmpty], sourcemap: true, logLevel: "warning" };
await build({ ...common, entryPoints: { console: "server/console.ts" }, packages: "external" });
// The data plane bundles kysely (pure JavaScript, a dependency): required as a package it is ~200
// files to resolve and read at every start, most of the data plane's start-up CPU. Native and
// lazily loaded packages (better-sqlite3; pg only for PostgreSQL, undici only for pools) stay external.
await build({
  ...common,
  entryPoints: { dataplane: "server/dataplane.ts", "dataplane-worker": "server/dataplane-worker.ts" },
  external: ["better-sqlite3", "pg", "pg-native", "undici"],
});
console.log("[certgate] built dist/console.js, dist/dataplane.js and dist/dataplane-worker.js");
