#!/usr/bin/env node
// `npm start`: builds the console when there is no build or the sources changed since the
// last one, then serves it (127.0.0.1:3000 unless HOST / PORT say otherwise).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const next = path.join(root, "node_modules", ".bin", "next");
const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json", "package-lock.json", "postcss.config.mjs"];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(full).reduce((max, child) => Math.max(max, newestMtime(path.join(entry, child))), stat.mtimeMs);
}

const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
if (!built || sources.some((s) => newestMtime(s) > built)) {
  console.log("[certgate] building the console (first start or changed sources)…");
  const result = spawnSync(next, ["build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
console.log(`[certgate] console at http://${host.includes(":") ? `[${host}]` : host}:${port}`);
const server = spawn(next, ["start", "-H", host, "-p", port], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
