#!/usr/bin/env node
// `npm test`: lint, type check, unit + integration tests (vitest: SQLite, and PostgreSQL when
// TEST_DATABASE_URL is set), production build, end-to-end tests (Playwright in Chromium).
// Every step runs even if an earlier one failed, and the last line sums them all up:
// "N passed, N failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const results = path.join(root, "test-results");
fs.mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const lines = [];
/** "file › test" for every failed test, printed in the summary so nobody has to scroll for them. */
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${[path.basename(command), ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function check(title, command, args) {
  const { ok, seconds } = run(title, command, args);
  if (ok) passed++;
  else {
    failed++;
    failures.push(`${title} (see its output above)`);
  }
  lines.push(`${title}: ${ok ? "passed" : "FAILED"} (${seconds}s)`);
  return ok;
}

function firstLine(text) {
  return String(text ?? "").split("\n").find((line) => line.trim() !== "") ?? "no message";
}

function collectPlaywrightFailures(suites, titles) {
  for (const suite of suites) {
    const here = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === "unexpected" || t.status === "flaky") failures.push(`${spec.file} › ${[...here.slice(1), spec.title].join(" › ")}`);
      }
    }
    collectPlaywrightFailures(suite.suites ?? [], here);
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

check("lint", bin("eslint"), ["."]);
check("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);

const vitestJson = path.join(results, "vitest.json");
fs.rmSync(vitestJson, { force: true });
const vitest = run("unit and integration tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests + (vitest.ok || v.numFailedTests > 0 ? 0 : 1);
  lines.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed (${vitest.seconds}s)`);
  for (const file of v.testResults ?? []) {
    const name = path.relative(root, file.name);
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests) failures.push(`${name} › ${t.fullName ?? t.title}`);
    // A file that failed to load has no failed test of its own: name the file.
    if (file.status === "failed" && failedTests.length === 0) failures.push(`${name} (the file failed to run: ${firstLine(file.message)})`);
  }
} else {
  failed++;
  lines.push(`vitest: did not report (${vitest.seconds}s)`);
}

const built = check("production build", "npm", ["run", "--silent", "build"]);
if (built) {
  const pwJson = path.join(results, "playwright.json");
  fs.rmSync(pwJson, { force: true });
  const e2e = run("end-to-end tests", bin("playwright"), ["test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const p = readJson(pwJson);
  if (p?.stats) {
    const bad = p.stats.unexpected + (p.stats.flaky ?? 0);
    passed += p.stats.expected;
    failed += bad + (e2e.ok || bad > 0 ? 0 : 1);
    lines.push(`playwright: ${p.stats.expected} passed, ${bad} failed, ${p.stats.skipped} skipped (${e2e.seconds}s)`);
    collectPlaywrightFailures(p.suites ?? [], []);
  } else {
    failed++;
    lines.push(`playwright: did not report (${e2e.seconds}s)`);
  }
} else {
  failed++;
  lines.push("playwright: not run, the build failed");
}

console.log("\n=== summary");
if (!process.env.TEST_DATABASE_URL) {
  console.log("PostgreSQL suites skipped: TEST_DATABASE_URL is unset (set it to postgres://… to run them).");
}
for (const line of lines) console.log(line);
if (failures.length > 0) {
  console.log("failed:");
  for (const failure of failures) console.log(`  ${failure}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
