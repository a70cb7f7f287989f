#!/usr/bin/env node
// Takes the README's screenshots from a running console (default http://127.0.0.1:3000, or the
// first argument) in Debian's Chromium: node scripts/screenshots.mjs [url] [outDir]
//
// Works against any console, not only the demo: it asks the API which load balancer and HTTPS
// listener to show (one with Client CA on and serving, if there is one) and finds their rows by
// role and name. Every picture is taken into a temporary folder first; outDir (default docs/) is
// only written once all of them succeeded, so a failed run leaves the old set as it was.
// It signs in as CERTGATE_USERNAME (default admin) with CERTGATE_PASSWORD (or CERTGATE_ADMIN_PASSWORD).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";

const base = (process.argv[2] || "http://127.0.0.1:3000").replace(/\/$/, "");
const out = path.resolve(process.argv[3] || "docs");

const password = process.env.CERTGATE_PASSWORD || process.env.CERTGATE_ADMIN_PASSWORD;
if (!password) {
  console.error("Set CERTGATE_PASSWORD (or CERTGATE_ADMIN_PASSWORD) to the password of the user to sign in as (CERTGATE_USERNAME, default admin).");
  process.exit(1);
}
const signIn = await fetch(`${base}/api/v1/session`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: process.env.CERTGATE_USERNAME || "admin", password }),
}).catch((error) => ({ ok: false, status: error.message }));
if (!signIn.ok) {
  console.error(`Could not sign in at ${base} (${signIn.status}); check the console runs there and the username and password.`);
  process.exit(1);
}
const [sessionName, sessionValue] = signIn.headers.get("set-cookie").split(";")[0].split("=");

async function api(route) {
  const response = await fetch(`${base}/api/v1${route}`, { headers: { cookie: `${sessionName}=${sessionValue}` } });
  if (!response.ok) throw new Error(`GET /api/v1${route} answered ${response.status}; is the console at ${base} running?`);
  return response.json();
}

async function all(route) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(`${route}${route.includes("?") ? "&" : "?"}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The HTTPS listener that shows the most: serving, with Client CA on, with connections in its log,
 * on the load balancer with the most listeners; the first that has most of these, in that order.
 */
async function chooseSubject() {
  const candidates = [];
  for (const summary of await all("/load-balancers")) {
    const loadBalancer = await api(`/load-balancers/${summary.id}`);
    for (const listener of loadBalancer.listeners) if (listener.protocol === "HTTPS") candidates.push({ loadBalancer, listener });
  }
  if (candidates.length === 0) {
    throw new Error("The console has no HTTPS listener to show; create one (or start once with the demo) and run again.");
  }
  const best = (list, keep) => (list.some(keep) ? list.filter(keep) : list);
  let chosen = best(candidates, ({ listener }) => listener.endpoint.state === "serving");
  chosen = best(chosen, ({ listener }) => listener.clientAuth.enabled);
  const logged = new Set();
  for (const { listener } of chosen) {
    if ((await api(`/listeners/${listener.id}/connections?limit=1`)).items.length > 0) logged.add(listener.id);
  }
  chosen = best(chosen, ({ listener }) => logged.has(listener.id));
  return chosen.reduce((a, b) => (b.loadBalancer.listeners.length > a.loadBalancer.listeners.length ? b : a));
}

function fail(message) {
  console.error(`${message}\nNothing in ${out} was changed.`);
  process.exit(1);
}

const { loadBalancer, listener } = await chooseSubject().catch((error) => fail(error.message));
const [firstCa] = await api("/certificates?kind=ca&limit=1").then((page) => page.items);
const me = await api("/me");
const shots = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-screenshots-"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function shoot(name, { width = 1280, height = 800, colorScheme = "light" } = {}, act) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  await page.context().addCookies([{ name: sessionName, value: sessionValue, url: base }]);
  page.setDefaultTimeout(15_000);
  try {
    await act(page);
    await page.screenshot({ path: path.join(shots, `${name}.png`) });
  } catch (error) {
    throw new Error(`screenshot "${name}" failed: ${error.message}`);
  } finally {
    await page.close();
  }
}

const listenerRow = (page) => page.getByRole("row").filter({ has: page.getByRole("link", { name: listener.name, exact: true }) });

const openLoadBalancer = async (page) => {
  await page.goto(`${base}/load-balancers/${loadBalancer.id}`);
  await page.getByRole("tab", { name: "Listener" }).waitFor();
  await listenerRow(page).waitFor();
};

try {
  await shoot("load-balancers", {}, async (page) => {
    await page.goto(`${base}/load-balancers`);
    await page.getByRole("heading", { name: "Load Balancers" }).waitFor();
    await page.getByRole("row").filter({ has: page.getByRole("link") }).first().waitFor();
  });
  await shoot("listeners", {}, openLoadBalancer);
  await shoot("edit-listener", {}, async (page) => {
    await openLoadBalancer(page);
    await listenerRow(page).getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit listener" });
    const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
    if ((await advanced.getAttribute("aria-expanded")) === "false") await advanced.click();
    const enable = dialog.getByRole("checkbox", { name: "Enable Client CA" });
    if (!(await enable.isChecked())) await enable.check();
    // Show a CA chosen: the listener's own, else the first CA there is (only a plain <select> is filled in).
    const picker = dialog.getByLabel("Client CA certificate");
    if (firstCa && (await picker.evaluate((el) => el.tagName === "SELECT" && el.value === ""))) {
      await picker.selectOption({ label: firstCa.name });
    }
  });
  await shoot("listener-test-panel", { height: 1000 }, async (page) => {
    await page.goto(`${base}/listeners/${listener.id}`);
    await page.getByRole("heading", { name: "Test this listener" }).waitFor();
    await page.waitForTimeout(2500); // one refresh of the connection log
  });
  await shoot("activity", {}, async (page) => {
    await page.goto(`${base}/activity`);
    await page.getByRole("heading", { name: "Activity" }).waitFor();
    await page.getByRole("row").nth(1).waitFor();
  });
  await shoot("certificates", {}, async (page) => {
    await page.goto(`${base}/certificates`);
    await page.getByRole("heading", { name: "Certificates" }).waitFor();
    await page.getByRole("row").filter({ has: page.getByRole("link") }).first().waitFor();
  });
  await shoot("listeners-mobile-dark", { width: 375, height: 740, colorScheme: "dark" }, openLoadBalancer);
  await shoot("users", {}, async (page) => {
    await page.goto(`${base}/users`);
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.getByRole("row").filter({ has: page.getByRole("link") }).first().waitFor();
  });
  await shoot("dataplane", { height: 600 }, async (page) => {
    await page.goto(`${base}/dataplane`);
    await page.getByRole("heading", { name: "Data plane" }).waitFor();
    await page.getByRole("table", { name: "Data-plane nodes" }).getByText("Up", { exact: true }).first().waitFor();
    await page.waitForTimeout(1500); // "last seen" switches from the exact time to "… ago" once the page runs
  });
  await shoot("user-authentication", { height: 900 }, async (page) => {
    await page.goto(`${base}/users/${me.id}`);
    await page.getByRole("tab", { name: "Authentication" }).click();
    await page.getByRole("checkbox", { name: "Client certificate authentication" }).waitFor();
  });
} catch (error) {
  await browser.close();
  fs.rmSync(shots, { recursive: true, force: true });
  fail(error.message);
}
await browser.close();

// All taken: only now replace the pictures in outDir, each by a rename (the whole file or none of it).
fs.mkdirSync(out, { recursive: true });
for (const file of fs.readdirSync(shots)) {
  const partial = path.join(out, `.${file}.partial`);
  fs.copyFileSync(path.join(shots, file), partial);
  fs.renameSync(partial, path.join(out, file));
}
fs.rmSync(shots, { recursive: true, force: true });
console.log(`screenshots of "${loadBalancer.name}" / "${listener.name}" written to ${out}`);
