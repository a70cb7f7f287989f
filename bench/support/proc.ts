// Processes for the benchmark: pinned to a core with taskset, measured from /proc, always ended.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";

/** The server runs on this core, every client (and the orchestrator) on the other. */
export const SERVER_CORE = 0;
export const CLIENT_CORE = 1;

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

const children = new Set<ChildProcess>();

/** Starts `command` pinned to `core` (or a taskset list such as "0-63"); it is killed when the benchmark exits, whatever happens. */
export function spawnPinned(core: number | string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn("taskset", ["-c", String(core), command, ...args], { stdio: ["ignore", "pipe", "pipe"], ...options });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

const exitHooks = new Set<() => void>();

/** Runs `hook` (synchronously) when the benchmark exits, however it exits. */
export function atExit(hook: () => void): () => void {
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

export function killAll(): void {
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // keep cleaning up
    }
  }
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Pins this process (every thread) to `core`. */
export async function pinSelf(core: number): Promise<void> {
  await run("taskset", ["-a", "-p", "-c", String(core), String(process.pid)]);
}

/** Runs a command to its end (killed after timeoutMs); resolves with its output. */
export function run(command: string, args: string[], timeoutMs = 60_000, core?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = core === undefined ? spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] }) : spawnPinned(core, command, args);
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** User + system CPU seconds used so far by these processes (all their threads). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start at index 2 of this split.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // The process is gone: it uses no more CPU.
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory in MiB, summed over these processes. */
export function rssMiB(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) kb += Number(match[1]);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** Direct children of a process (nginx's workers). */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `check` to become true, polling every `everyMs`; throws after timeoutMs. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Runs a benchmark's main to its end and exits: 0 when it finished, 1 when it failed, 2 when it was
 * still running after `watchdogMs` (a broken run is ended, with every child, rather than left hanging).
 */
export function runBenchmark(name: string, main: () => Promise<void>, watchdogMs: number): void {
  const watchdog = setTimeout(() => {
    console.error(`${name}: still running after ${watchdogMs / 60_000} min; stopping it`);
    killAll();
    process.exit(2);
  }, watchdogMs);
  watchdog.unref();
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
      killAll();
      process.exit(1);
    },
  );
}
