// The Data plane page and the listener's state over several nodes (issue 12), against the real
// console (its embedded data plane is one node) and a real second node: the stand-alone data plane
// (server/dataplane.ts) on 127.0.0.4, on the e2e server's own data directory (same SQLite file, same
// DATA_DIR/secret.key), started, frozen, resumed and killed with -9 by this spec.
import type { Page } from "@playwright/test";
import { startDataplaneNode } from "../test/dataplane-node";
import { expectAccessible } from "./support/axe";
import { E2E } from "./support/env";
import { expect, test, unique } from "./support/fixtures";
import { getEndpoint } from "./support/tls-client";

const NODE_B = "e2e-node-b";
const NODE_B_HOST = "127.0.0.4";
/** In this suite's ad-hoc range (24000–24999), free on 127.0.0.1 and 127.0.0.4 alike. */
const PORT = 24510;

interface NodesAnswer {
  configRevision: number;
  goneAfterSeconds: number;
  items: { id: string; address: string; state: string; appliedRevision: number }[];
}

/** A real `npm run dataplane` process (test/dataplane-node.ts) on the e2e server's data directory: same SQLite file, same DATA_DIR/secret.key. */
const startNodeB = () =>
  startDataplaneNode({ DATA_DIR: E2E.dataDir, DATABASE_URL: "", CERTGATE_SECRET: "", DATAPLANE_HOST: NODE_B_HOST, CERTGATE_NODE_ID: NODE_B, CERTGATE_DATAPLANE_WORKERS: "1" });

const nodesTable = (page: Page) => page.getByRole("table", { name: "Data-plane nodes" });
const nodeRow = (page: Page, id: string) => nodesTable(page).getByRole("row").filter({ hasText: id });
/** The toasts as seen (Radix also repeats each one in a live region for screen readers). */
const toasts = (page: Page) => page.getByRole("region", { name: /Notifications/ });
const stateBadge = (page: Page, id: string, state: "Up" | "Gone" | "Stopped") => nodeRow(page, id).getByText(state, { exact: true });

test("the Data plane page lists the nodes; a second node serves the listener too, turns Gone when killed, and is forgotten", async ({ page, api, certs }) => {
  test.setTimeout(120_000);
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("nodes"));
  const listener = await api.createListener(lb.id, { name: "https-nodes", protocol: "HTTPS", port: PORT, certificateId: server.id });
  const caFile = certs("root-ca.pem");

  // One node to begin with: the console's embedded data plane, in sync with the newest revision.
  const before = (await (await api.request.get("/api/v1/dataplane-nodes")).json()) as NodesAnswer;
  const up = before.items.filter((n) => n.state === "up");
  expect(up).toHaveLength(1);
  const embedded = up[0];
  await page.goto("/load-balancers");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data plane" }).click();
  await expect(page.getByRole("heading", { name: "Data plane", level: 1 })).toBeVisible();
  await expect(page.getByText(`Gone after ${before.goneAfterSeconds} s without a report`, { exact: false })).toBeVisible();
  await expect(stateBadge(page, embedded.id, "Up")).toBeVisible();
  await expect(nodeRow(page, embedded.id).getByText(embedded.address, { exact: true })).toBeVisible();
  await expect(nodeRow(page, embedded.id).getByText("In sync")).toBeVisible();
  // An up node cannot be forgotten (it would write its row back at once): no Forget offered.
  await expect(nodeRow(page, embedded.id).getByRole("button", { name: /Forget/ })).toHaveCount(0);
  await expectAccessible(page, "Data plane page");

  const nodeB = startNodeB();
  try {
    // The page polls: node b appears without a reload, and both serve the listener.
    await expect(stateBadge(page, NODE_B, "Up")).toBeVisible({ timeout: 30_000 });
    await expect(nodesTable(page).getByRole("row").filter({ has: page.getByText("Up", { exact: true }) })).toHaveCount(2);
    await expect(nodeRow(page, NODE_B).getByText(NODE_B_HOST, { exact: true })).toBeVisible();
    await expect(nodeRow(page, NODE_B).getByText("In sync")).toBeVisible();
    const onB = await getEndpoint(`https://${NODE_B_HOST}:${PORT}/`, { caFile, servername: "localhost" });
    expect(onB, nodeB.output()).toMatchObject({ kind: "response", status: 200 });

    await page.goto(`/listeners/${listener.id}`);
    await expect(page.getByText("Serving on 2 of 2 nodes")).toBeVisible();
    await expectAccessible(page, "listener page on two nodes");
    await page.goto(`/load-balancers/${lb.id}`);
    const row = page.getByRole("row").filter({ hasText: "https-nodes" });
    await expect(row.getByText("Serving on 2 of 2 nodes")).toBeVisible();

    // A node that has not applied a save (frozen: it neither reloads nor reports) is named in the
    // save's answer: the toast says where the change is not in force yet, instead of a plain "saved".
    await row.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit listener" });
    await dialog.getByLabel("Name").fill("https-nodes-renamed");
    nodeB.child.kill("SIGSTOP");
    try {
      await dialog.getByRole("button", { name: "Save" }).click();
      await expect(dialog).toBeHidden({ timeout: 15_000 });
      await expect(toasts(page).getByText(new RegExp(`Listener https-nodes-renamed saved\\. Not yet in force on node ${NODE_B} \\(applied revision \\d+\\)`))).toBeVisible();
    } finally {
      nodeB.child.kill("SIGCONT");
    }
    // Resumed, it catches up: every node in sync again.
    await page.goto("/dataplane");
    await expect(stateBadge(page, NODE_B, "Up")).toBeVisible({ timeout: 15_000 });
    await expect(nodeRow(page, NODE_B).getByText("In sync")).toBeVisible({ timeout: 15_000 });

    // Killed with -9 (no clean stop): Gone within the documented timeout, while the page stays open.
    nodeB.child.kill("SIGKILL");
    const killedAt = Date.now();
    await expect(stateBadge(page, NODE_B, "Gone")).toBeVisible({ timeout: (before.goneAfterSeconds + 10) * 1000 });
    const seconds = (Date.now() - killedAt) / 1000;
    // Gone after goneAfterSeconds without a heartbeat; the heartbeat is 1 s and the page polls every 2 s.
    expect(seconds).toBeLessThanOrEqual(before.goneAfterSeconds + 1 + 2 + 1);
    await expect(stateBadge(page, embedded.id, "Up")).toBeVisible();
    await expectAccessible(page, "Data plane page with a gone node");
  } finally {
    if (nodeB.child.exitCode === null && nodeB.child.signalCode === null) nodeB.child.kill("SIGKILL");
  }

  // The listener is back to one live node; the other keeps serving.
  await page.goto(`/listeners/${listener.id}`);
  await expect(page.getByText("Serving", { exact: true })).toBeVisible();
  expect(await getEndpoint(`https://localhost:${PORT}/`, { caFile })).toMatchObject({ kind: "response", status: 200 });

  // Forget, confirmed in a dialog: the node leaves the page and the API.
  await page.goto("/dataplane");
  await page.getByRole("button", { name: `Forget node ${NODE_B}` }).click();
  const forget = page.getByRole("dialog", { name: "Forget node" });
  await expect(forget).toContainText(NODE_B_HOST);
  await expectAccessible(page, "Forget node dialog");
  await forget.getByRole("button", { name: "Forget node" }).click();
  await expect(forget).toBeHidden();
  await expect(nodeRow(page, NODE_B)).toHaveCount(0);
  await expect(toasts(page).getByText(`Node ${NODE_B} forgotten`)).toBeVisible();
  const after = (await (await api.request.get("/api/v1/dataplane-nodes")).json()) as NodesAnswer;
  expect(after.items.map((n) => n.id)).not.toContain(NODE_B);
  // Frees the fixed port for a rerun on the same server (--repeat-each).
  expect((await api.request.delete(`/api/v1/load-balancers/${lb.id}`)).status()).toBe(204);
});

test("the Data plane page works by keyboard, in the dark, and at 375 px without sideways scrolling", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/dataplane");
  await expect(page.getByRole("heading", { name: "Data plane", level: 1 })).toBeVisible();
  await expect(nodesTable(page).getByText("Up", { exact: true }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "/dataplane is wider than the screen").toBeLessThanOrEqual(0);
  await expectAccessible(page, "Data plane page (dark, 375 px)");
  // The nav link is reachable by Tab and marks the page as current.
  const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data plane" });
  await expect(link).toHaveAttribute("aria-current", "page");
  for (let i = 0; i < 10 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(link).toBeFocused();
});
