#!/usr/bin/env node
// Takes the README's screenshots from a running console (default http://127.0.0.1:3000,
// or the first argument) in Debian's Chromium: node scripts/screenshots.mjs [url] [outDir]
import path from "node:path";
import { chromium } from "@playwright/test";

const base = process.argv[2] || "http://127.0.0.1:3000";
const out = path.resolve(process.argv[3] || "docs");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function shoot(name, { width = 1280, height = 800, colorScheme = "light" } = {}, act) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  await act(page);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  await page.close();
}

const openDemo = async (page) => {
  await page.goto(`${base}/load-balancers`);
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("tab", { name: "Listener" }).waitFor();
  await page.getByText("Serving").first().waitFor();
};

await shoot("load-balancers", {}, async (page) => {
  await page.goto(`${base}/load-balancers`);
  await page.getByRole("link", { name: "demo", exact: true }).waitFor();
});
await shoot("listeners", {}, openDemo);
await shoot("edit-listener", {}, async (page) => {
  await openDemo(page);
  await page.getByRole("row").filter({ hasText: "https-" }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
  if ((await advanced.getAttribute("aria-expanded")) === "false") await advanced.click();
  const box = dialog.getByRole("checkbox", { name: "Enable Client CA" });
  if (!(await box.isChecked())) await box.check();
  await dialog.getByLabel("Client CA certificate").selectOption({ label: "demo-ca" });
});
await shoot("listener-test-panel", { height: 1000 }, async (page) => {
  await openDemo(page);
  await page.getByRole("link", { name: /^https-/ }).click();
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
  await page.getByRole("link", { name: "demo-ca" }).waitFor();
});
await shoot("listeners-mobile-dark", { width: 375, height: 740, colorScheme: "dark" }, openDemo);
await browser.close();
console.log(`screenshots written to ${out}`);
