// `npm run bench`: runs every bench/*.bench.ts, one after another, each in a process of its own
// (a benchmark is a script: it prints its figures as plain lines and exits, 0 when it completed).
// Processes of their own keep one benchmark's pinning, children and memory out of the next one.
// `npm run bench -- dataplane` runs only the files whose name contains "dataplane".
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BENCH_DIR = __dirname;
const filters = process.argv.slice(2);

function runOne(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", file], { cwd: path.resolve(BENCH_DIR, ".."), stdio: "inherit" });
    // Ctrl-C reaches the child through the terminal; a SIGTERM sent to this process is passed on.
    const forward = () => child.kill("SIGTERM");
    process.once("SIGTERM", forward);
    child.once("exit", (code, signal) => {
      process.removeListener("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<void> {
  const files = fs
    .readdirSync(BENCH_DIR)
    .filter((name) => name.endsWith(".bench.ts") && (filters.length === 0 || filters.some((filter) => name.includes(filter))))
    .sort();
  if (files.length === 0) {
    console.log("no benchmark matched");
    return;
  }
  const failed: string[] = [];
  for (const name of files) {
    console.log(`\n=== ${name}`);
    const started = Date.now();
    const code = await runOne(path.join(BENCH_DIR, name));
    console.log(`=== ${name}: ${code === 0 ? "done" : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) failed.push(name);
  }
  if (failed.length > 0) {
    console.log(`\n${failed.length} of ${files.length} benchmark(s) failed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
}

void main();
