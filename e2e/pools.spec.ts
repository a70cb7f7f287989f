// Backend pools (issue 11): an operator makes a pool on the load balancer's Pools tab with a real
// backend (node:http on 127.0.0.1) as its member, picks it as a listener's Default pool in Edit, and
// a real mTLS client then gets the backend's answer from the listener's endpoint. The member shows
// healthy on the Pools tab and the listener page, and unhealthy once the backend is stopped; a pool
// in use cannot be deleted, and the dialog says which listener holds it.
import http from "node:http";
import type net from "node:net";
import type { Page } from "@playwright/test";
import { freePort } from "../test/ports";
import { expectAccessible } from "./support/axe";
import { expect, test, unique } from "./support/fixtures";
import { getEndpoint } from "./support/tls-client";

/** A backend that answers every request with JSON naming itself and the path it was asked for. */
async function startBackend(name: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ backend: name, path: req.url, verify: req.headers["x-client-cert-verify"] ?? null }));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function openPoolsTab(page: Page, loadBalancerId: string) {
  await page.goto(`/load-balancers/${loadBalancerId}`);
  await page.getByRole("tab", { name: "Pools" }).click();
  await expect(page.getByRole("heading", { name: "Pools", exact: true })).toBeVisible();
}

test("a pool made in the console fronts a real backend through a listener's Default pool, with its member's health shown", async ({ page, api, certs }) => {
  const backend = await startBackend("app-backend");
  try {
    const server = await api.serverCertificate();
    const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
    const lb = await api.createLoadBalancer(unique("pools"));
    const port = await freePort();
    const listener = await api.createListener(lb.id, {
      name: "https-app",
      protocol: "HTTPS",
      port,
      certificateId: server.id,
      clientAuth: { enabled: true, caCertificateId: ca.id },
    });
    const url = `https://127.0.0.1:${port}/orders?id=7`;
    const client = { caFile: certs("root-ca.pem"), certFile: certs("client.pem"), keyFile: certs("client.key") };
    // No pool yet: the built-in echo answers.
    const echo = await getEndpoint(url, client);
    expect(echo.kind === "response" && echo.body.listener).toMatchObject({ name: "https-app" });

    // Create pool, with one member and a quick health check.
    await openPoolsTab(page, lb.id);
    await expect(page.getByText("No pools yet.")).toBeVisible();
    await page.getByRole("button", { name: "Create pool" }).click();
    const create = page.getByRole("dialog", { name: "Create pool" });
    await create.getByLabel("Name").fill("app-pool");
    await create.getByLabel("Address 1").fill("127.0.0.1");
    await create.getByLabel("Port 1").fill(String(backend.port));
    // A second row, then removed again: the editor adds and removes rows.
    await create.getByRole("button", { name: "Add member" }).click();
    await expect(create.getByLabel("Address 2")).toBeVisible();
    await create.getByLabel("Port 2").fill("99999");
    await create.getByRole("button", { name: "Create" }).click();
    await expect(create.getByText("Port must be a whole number from 1 to 65535.")).toBeVisible();
    await create.getByRole("button", { name: "Remove member 2" }).click();
    await create.getByLabel("Path").fill("/healthz");
    await create.getByLabel("Interval (seconds)").fill("1");
    await create.getByLabel("Healthy threshold", { exact: true }).fill("1");
    await create.getByLabel("Unhealthy threshold").fill("1");
    await expectAccessible(page, "the Create pool dialog");
    await page.screenshot({ path: "test-results/e2e/pools-create-dialog.png" });
    await create.getByRole("button", { name: "Create" }).click();
    await expect(create).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: "app-pool" });
    await expect(row).toContainText("Round robin");
    // Nothing forwards to it yet, so nothing checks it.
    await expect(row).toContainText("0 of 1 healthy");
    await expect(row).toContainText("1 unknown");

    // Pick it as the listener's Default pool in Edit.
    await page.getByRole("tab", { name: "Listener" }).click();
    await page.getByRole("row").filter({ hasText: "https-app" }).getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit listener" });
    const defaultPool = edit.getByLabel("Default pool");
    await expect(defaultPool).toHaveValue("");
    await expect(defaultPool.locator("option").first()).toHaveText("None — built-in test endpoint");
    await defaultPool.selectOption({ label: "app-pool" });
    await expectAccessible(page, "the Edit listener dialog with a Default pool");
    await page.screenshot({ path: "test-results/e2e/pools-edit-listener.png" });
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    const saved = await (await api.request.get(`/api/v1/listeners/${listener.id}`)).json();
    expect(saved.defaultPoolId).toEqual(expect.any(String));

    // The member turns healthy on the Pools tab (polled), and the pool says who uses it.
    await page.getByRole("tab", { name: "Pools" }).click();
    await expect(row).toContainText("1 of 1 healthy", { timeout: 15_000 });
    await expect(row.getByRole("link", { name: "https-app" })).toBeVisible();
    await expectAccessible(page, "the Pools tab");
    await page.screenshot({ path: "test-results/e2e/pools-tab.png" });

    // In use: Delete is refused with the listener named.
    await row.getByRole("button", { name: "Delete pool app-pool" }).click();
    const del = page.getByRole("dialog", { name: "Delete pool" });
    await del.getByRole("button", { name: "Delete pool" }).click();
    await expect(del.getByText('Pool "app-pool" is the default pool of listener "https-app"; pick another default pool for it (or none), then delete the pool.')).toBeVisible();
    await del.getByRole("button", { name: "Cancel" }).click();

    // The listener page shows its default pool with the member's health.
    await page.goto(`/listeners/${listener.id}`);
    await expect(page.getByRole("heading", { name: "Default pool: app-pool" })).toBeVisible();
    const member = page.getByRole("table", { name: "Members of pool app-pool" }).getByRole("row").filter({ hasText: `127.0.0.1:${backend.port}` });
    await expect(member).toContainText("Healthy");
    await expectAccessible(page, "the listener page with its default pool");
    await page.screenshot({ path: "test-results/e2e/pools-listener-page.png", fullPage: true });

    // The listener's endpoint answers with the backend's answer (verified client, the path kept).
    const forwarded = await getEndpoint(url, client);
    expect(forwarded).toMatchObject({ kind: "response", status: 200, body: { backend: "app-backend", path: "/orders?id=7", verify: "SUCCESS" } });

    // The backend stops: its health checks fail and the console says so within a few seconds.
    await backend.stop();
    await expect(member).toContainText("Unhealthy", { timeout: 15_000 });
    await openPoolsTab(page, lb.id);
    await expect(page.getByRole("row").filter({ hasText: "app-pool" })).toContainText("0 of 1 healthy", { timeout: 10_000 });
    // No healthy member left: the endpoint answers 503 with a problem body.
    expect(await getEndpoint(url, client)).toMatchObject({ kind: "response", status: 503, body: { status: 503 } });
  } finally {
    await backend.stop();
  }
});

test("Edit pool changes the algorithm and members, and a bad member is refused beside its field", async ({ page, api }) => {
  const lb = await api.createLoadBalancer(unique("pools-edit"));
  const created = await api.request.post(`/api/v1/load-balancers/${lb.id}/pools`, { data: { name: "web-pool", members: [{ address: "10.0.0.1", port: 8080 }] } });
  expect(created.status()).toBe(201);
  const pool = await created.json();

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("tab", { name: "Pools" }).click();
  await page.getByRole("button", { name: "Edit pool web-pool" }).click();
  const edit = page.getByRole("dialog", { name: "Edit pool" });
  await expect(edit.getByLabel("Address 1")).toHaveValue("10.0.0.1");
  await edit.getByLabel("Algorithm").selectOption({ label: "Least connections" });
  await edit.getByRole("button", { name: "Add member" }).click();
  await edit.getByLabel("Address 2").fill("not a host!");
  await edit.getByLabel("Port 2").fill("8081");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Enter an IP address or a host name.")).toBeVisible();
  await edit.getByLabel("Address 2").fill("app-2.internal");
  await edit.getByLabel("Weight 2").fill("3");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();

  const row = page.getByRole("row").filter({ hasText: "web-pool" });
  await expect(row).toContainText("Least connections");
  await expect(row).toContainText("0 of 2 healthy");
  const saved = await (await api.request.get(`/api/v1/pools/${pool.id}`)).json();
  expect(saved).toMatchObject({
    version: 2,
    algorithm: "least_connections",
    members: [
      { address: "10.0.0.1", port: 8080, weight: 1, health: "unknown" },
      { address: "app-2.internal", port: 8081, weight: 3, health: "unknown" },
    ],
  });

  // Not in use: Delete removes it.
  await row.getByRole("button", { name: "Delete pool web-pool" }).click();
  await page.getByRole("dialog", { name: "Delete pool" }).getByRole("button", { name: "Delete pool" }).click();
  await expect(page.getByText("No pools yet.")).toBeVisible();
});
