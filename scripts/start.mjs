#!/usr/bin/env node
// `npm start` (the console) and `npm run dataplane` (`start.mjs dataplane`, the data plane alone):
// builds what is missing or older than its sources, then runs the compiled entry in dist/.
// The console serves 127.0.0.1:3000 unless HOST / PORT say otherwise.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const what = process.argv[2] === "dataplane" ? "dataplane" : "console";
const configs = ["package.json", "package-lock.json", "tsconfig.json"];
const serverSources = ["lib", "server", "scripts/build-server.mjs", ...configs];
const consoleSources = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", ...configs];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(full).reduce((max, child) => Math.max(max, newestMtime(path.join(entry, child))), stat.mtimeMs);
}

function stale(output, sources) {
  const file = path.join(root, output);
  const built = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
  return !built || sources.some((source) => newestMtime(source) > built);
}

function run(command, args, label) {
  console.log(`[certgate] ${label}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const distDir = process.env.NEXT_DIST_DIR || ".next";
if (what === "console" && stale(path.join(distDir, "BUILD_ID"), consoleSources)) {
  run(path.join(root, "node_modules", ".bin", "next"), ["build"], "building the console (first start or changed sources)");
}
if (stale(path.join("dist", `${what}.js`), serverSources)) {
  run(process.execPath, [path.join(root, "scripts", "build-server.mjs")], "building the server entries");
}

const child = spawn(process.execPath, ["--enable-source-maps", path.join(root, "dist", `${what}.js`)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
