// Starts the production build the way `npm start` serves it (dist/console.js, which runs the data
// plane as its child), on a fresh data directory and ports of its own (given by playwright.config.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR must be set by playwright.config.ts");
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

const server = spawn(process.execPath, ["--enable-source-maps", path.join(root, "dist", "console.js")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, HOST: "127.0.0.1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
