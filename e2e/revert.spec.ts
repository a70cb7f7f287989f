// "Revert this change" in Activity, clicked through: reverting Client CA being enabled lets a client
// without a certificate in again as soon as the dialog closes; a change whose listener changed again
// since says what the revert would overwrite and asks before it does; a viewer sees why it cannot.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expectAccessible } from "./support/axe";
import { expect, test, unique, type Api } from "./support/fixtures";
import { createUser, signedInPage } from "./support/identity";
import { getEndpoint } from "./support/tls-client";

const SCREENSHOTS = path.join("test-results", "screens");
// Ports of this spec's own listeners (E2E ports are per run; these are out of every other spec's way).
const PORTS = { clientCa: 21011, pins: 21012 };

test.describe.configure({ timeout: 120_000 });

/** The toasts as seen (Radix also repeats each one in a live region for screen readers). */
const toasts = (page: Page) => page.getByRole("region", { name: /Notifications/ });

async function httpsListener(api: Api, port: number, clientAuth?: Record<string, unknown>) {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("revert"));
  const listener = await api.createListener(lb.id, { name: `https-${port}`, protocol: "HTTPS", port, certificateId: server.id, clientAuth });
  return { lb, listener, url: `${listener.endpoint.url}/` };
}

async function patchListener(api: Api, id: string, data: unknown) {
  const response = await api.request.patch(`/api/v1/listeners/${id}`, { data });
  expect(response.status(), await response.text()).toBe(200);
}

test("reverting 'Client CA enabled' from Activity serves a client without a certificate again at once", async ({ page, api, certs }) => {
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const { listener, url } = await httpsListener(api, PORTS.clientCa);
  const rootCa = certs("root-ca.pem");
  expect(await getEndpoint(url, { caFile: rootCa })).toMatchObject({ kind: "response", status: 200 });
  await patchListener(api, listener.id, { clientAuth: { enabled: true, caCertificateId: ca.id } });
  expect((await getEndpoint(url, { caFile: rootCa })).kind).toBe("refused");

  // From the listener page to its activity.
  await page.goto(`/listeners/${listener.id}`);
  await page.getByRole("link", { name: "Activity for this listener" }).click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  const enabledRow = page.getByRole("row").filter({ hasText: "Client CA enabled" });
  // Creating a listener is not a change of its settings: no revert there.
  await expect(page.getByRole("row").filter({ hasText: "Listener created" }).getByRole("button", { name: "Revert this change" })).toHaveCount(0);
  await enabledRow.getByRole("button", { name: "Revert this change" }).click();

  const dialog = page.getByRole("dialog", { name: "Revert this change" });
  await expect(dialog).toContainText(`Put back the settings listener https-${PORTS.clientCa} had before this change (Client CA enabled by admin on`);
  const restores = dialog.getByRole("region", { name: "This restores" });
  await expect(restores.getByRole("listitem")).toHaveText(["Client CA: enabled → disabled", `Client CA certificate: ${ca.name} → none`]);
  await expectAccessible(page, "the revert dialog");
  await page.screenshot({ path: path.join(SCREENSHOTS, "revert-dialog.png") });
  await dialog.getByRole("button", { name: "Revert", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(toasts(page).getByText(`Reverted Client CA enabled on listener https-${PORTS.clientCa}`)).toBeVisible();

  // In force when the dialog closed: no waiting, no retry.
  expect(await getEndpoint(url, { caFile: rootCa })).toMatchObject({ kind: "response", status: 200 });

  // The list refreshed: the newest event is the revert, naming what it reverted.
  const newest = page.getByRole("row").nth(1);
  await expect(newest).toContainText("Change reverted");
  await expect(newest).toContainText("Reverted Client CA enabled by admin on");
  await expect(newest).toContainText("Client CA: enabled → disabled");
  await page.screenshot({ path: path.join(SCREENSHOTS, "revert-activity.png"), fullPage: true });

  await page.goto(`/listeners/${listener.id}`);
  await expect(page.getByRole("definition").filter({ hasText: "Disabled" }).first()).toBeVisible();
});

test("a change made again since: the dialog lists what the revert would overwrite and asks once more", async ({ page, api, certs }) => {
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const one = await api.ensureCertificate("client", certs("client.pem"));
  const two = await api.ensureCertificate("client", certs("client-two.pem"));
  const { listener, url } = await httpsListener(api, PORTS.pins, { enabled: true, caCertificateId: ca.id });
  const rootCa = certs("root-ca.pem");
  const clientTwo = { caFile: rootCa, certFile: certs("client-two.pem"), keyFile: certs("client-two.key") };
  await patchListener(api, listener.id, { clientAuth: { trustedCertificateIds: [two.id] } });
  await patchListener(api, listener.id, { clientAuth: { trustedCertificateIds: [one.id] } });
  expect(await getEndpoint(url, clientTwo)).toMatchObject({ kind: "response", status: 403, body: { reason: "not_pinned" } });

  await page.goto(`/activity?targetType=listener&targetId=${listener.id}`);
  const pinRow = page.getByRole("row").filter({ hasText: `Trusted client certificates: none → ${two.name}` });
  await pinRow.getByRole("button", { name: "Revert this change" }).click();
  const dialog = page.getByRole("dialog", { name: "Revert this change" });
  await expect(dialog.getByRole("region", { name: "This restores" }).getByRole("listitem")).toHaveText([`Trusted client certificates: ${two.name} → none`]);
  await dialog.getByRole("button", { name: "Revert", exact: true }).click();

  // The server answered "changed since": nothing was saved, and the dialog says what would be overwritten.
  const warning = dialog.getByRole("alert");
  await expect(warning).toContainText("The listener has changed since. Reverting overwrites these later settings:");
  await expect(warning.getByRole("listitem")).toHaveText([`Trusted client certificates: now ${one.name} → restored none`]);
  await page.screenshot({ path: path.join(SCREENSHOTS, "revert-changed-since.png") });
  expect(await getEndpoint(url, clientTwo)).toMatchObject({ kind: "response", status: 403 });

  await dialog.getByRole("button", { name: "Overwrite and revert" }).click();
  await expect(dialog).toBeHidden();
  await expect(toasts(page).getByText(`Reverted Listener changed on listener https-${PORTS.pins}`)).toBeVisible();
  expect(await getEndpoint(url, clientTwo)).toMatchObject({ kind: "response", status: 200 });
  await expect(page.getByRole("row").nth(1)).toContainText(`Trusted client certificates: ${one.name} → none`);

  // Reverting it again finds the listener already as it was: nothing to do, and it says so.
  await pinRow.getByRole("button", { name: "Revert this change" }).click();
  await dialog.getByRole("button", { name: "Revert", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(toasts(page).getByText(`Listener "https-${PORTS.pins}" already has the settings it had before this change; nothing was changed.`)).toBeVisible();
});

test("a viewer sees Revert this change disabled, with the reason", async ({ browser, page, api }) => {
  const { listener } = await httpsListener(api, PORTS.clientCa + 2);
  await patchListener(api, listener.id, { name: unique("renamed") });
  const viewer = await createUser(page.request, "viewer", "revert-viewer");
  const viewerPage = await signedInPage(browser, viewer.username, viewer.password, `/activity?targetType=listener&targetId=${listener.id}`);
  const revert = viewerPage.getByRole("row").filter({ hasText: "Listener changed" }).getByRole("button", { name: "Revert this change" });
  await expect(revert).toBeDisabled();
  await expect(revert).toHaveAccessibleDescription(
    "Your role (viewer) can only read; ask an admin for the operator role to change load balancers, listeners and certificates.",
  );
  await viewerPage.context().close();
});
