// Impact preview and report mode (issue 13). Real TLS clients — one with a certificate of the CA
// about to be trusted, one of another CA, one expired, one with none — connect to a listener; the
// Edit dialog's preview then names exactly the clients enabling Client CA would refuse, and Save asks
// once more, naming how many. In report mode every client is let in, the listener page counts the
// would-be refusals and the log shows them as Would reject; Switch to Required previews and saves.
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { freePort } from "../test/ports";
import { expectAccessible } from "./support/axe";
import { expect, test, unique, type Api } from "./support/fixtures";
import { getEndpoint } from "./support/tls-client";

const SCREENSHOTS = path.join("test-results", "screens");

let cleanup: (() => Promise<unknown>)[] = [];
test.afterEach(async () => {
  for (const undo of cleanup.reverse()) await undo();
  cleanup = [];
});

/** An HTTPS listener with Client CA off on a load balancer of the test's own (deleted afterwards). */
async function httpsListener(api: Api, prefix: string) {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique(prefix));
  cleanup.push(() => api.request.delete(`/api/v1/load-balancers/${lb.id}`));
  const port = await freePort();
  const listener = await api.createListener(lb.id, { name: `${prefix}-https`, protocol: "HTTPS", port, certificateId: server.id });
  return { lb, listener, url: `https://127.0.0.1:${port}/` };
}

/** Connects as each named client (a test certificate's base name, or null for none) and reads the answer's status. */
async function connect(url: string, certs: (name: string) => string, clients: (string | null)[]) {
  const statuses: (number | string)[] = [];
  for (const name of clients) {
    const answer = await getEndpoint(url, {
      caFile: certs("root-ca.pem"),
      ...(name ? { certFile: certs(`${name}.pem`), keyFile: certs(`${name}.key`) } : {}),
    });
    statuses.push(answer.kind === "response" ? answer.status : answer.error);
  }
  return statuses;
}

/** Records reach the store off the handshake path: wait until the log holds `count` of them. */
async function waitForLog(api: Api, listenerId: string, count: number) {
  await expect
    .poll(async () => (await (await api.request.get(`/api/v1/listeners/${listenerId}/connections?limit=50`)).json()).items.length)
    .toBe(count);
}

/** The preview table's rows as "subject | connections | reason" (the columns a user compares), sorted. */
async function rowsOf(preview: Locator) {
  const rows = await preview.getByRole("table", { name: "Clients this change would refuse" }).locator("tbody tr").all();
  const texts = await Promise.all(
    rows.map(async (row) => {
      const cells = await row.getByRole("cell").allInnerTexts();
      return `${cells[0]} | ${cells[4]} | ${cells[5]}`;
    }),
  );
  return texts.sort();
}

async function listenerJson(api: Api, id: string) {
  return (await api.request.get(`/api/v1/listeners/${id}`)).json();
}

function openEdit(page: Page) {
  return page.getByRole("button", { name: "Edit", exact: true }).click();
}

test("the Edit dialog previews exactly whom enabling Client CA refuses, and Save asks once more naming how many", async ({ page, api, certs }) => {
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const { listener, url } = await httpsListener(api, "impact");

  // Client CA is off: everyone gets in, and the certificates they offer are logged.
  expect(await connect(url, certs, ["client", "client-other", "client-other", "client-expired", null])).toEqual([200, 200, 200, 200, 200]);
  await waitForLog(api, listener.id, 5);

  await page.goto(`/listeners/${listener.id}`);
  await openEdit(page);
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  const preview = dialog.getByRole("region", { name: "Impact preview" });
  // As saved (Client CA off), the four clients seen get in: a calm line, no table.
  await expect(preview.getByRole("status")).toHaveText("All 4 clients seen in the last 24 hours would still be let in.");
  await expect(preview.getByRole("table")).toHaveCount(0);

  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await expect(preview).toContainText("Pick a CA certificate or a trusted client certificate to see which clients would be refused.");
  await dialog.getByLabel("Client CA certificate").selectOption({ label: ca.name });
  await expect(preview.getByRole("status")).toHaveText("3 of 4 clients seen in the last 24 hours would be refused.");
  // (openssl ca put client-expired's CN first, so RFC 4514 names it last.)
  await expect.poll(() => rowsOf(preview)).toEqual([
    "CN=client-other,O=Other Corp | 2 | Not issued by the trusted CA",
    "No certificate | 1 | No client certificate",
    "O=Test Corp,CN=client-expired | 1 | Client certificate expired",
  ]);
  // The shortened fingerprint carries the full one.
  const otherRow = preview.getByRole("row").filter({ hasText: "CN=client-other" });
  await expect(otherRow.locator("code")).toHaveAttribute("title", /^[0-9a-f]{64}$/);
  await expect(otherRow.locator("code")).toHaveText(/^[0-9a-f]{8}…[0-9a-f]{4}$/);
  await expectAccessible(page, "the Edit listener dialog with an impact preview");
  await preview.scrollIntoViewIfNeeded();
  await dialog.screenshot({ path: path.join(SCREENSHOTS, "impact-preview-edit.png") });

  // Optional refuses nobody; the preview follows the mode.
  await dialog.getByRole("radio", { name: "Optional" }).check();
  await expect(preview.getByRole("status")).toHaveText("All 4 clients seen in the last 24 hours would still be let in.");
  await dialog.getByRole("radio", { name: "Required" }).check();
  await expect(preview.getByRole("status")).toHaveText("3 of 4 clients seen in the last 24 hours would be refused.");

  // Save asks first; going back saves nothing.
  await dialog.getByRole("button", { name: "Save" }).click();
  const confirm = page.getByRole("dialog", { name: "Refuse clients?" });
  await expect(confirm).toHaveAccessibleDescription("This change refuses 3 clients seen in the last 24 hours. Save anyway?");
  await page.screenshot({ path: path.join(SCREENSHOTS, "impact-preview-confirm.png") });
  await confirm.getByRole("button", { name: "Back to editing" }).click();
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  expect((await listenerJson(api, listener.id)).clientAuth.enabled).toBe(false);

  await dialog.getByRole("button", { name: "Save" }).click();
  await confirm.getByRole("button", { name: "Save anyway" }).click();
  await expect(dialog).toBeHidden();
  expect((await listenerJson(api, listener.id)).clientAuth).toEqual({ enabled: true, mode: "required", caCertificateId: ca.id, trustedCertificateIds: [] });
  // In force: the certificate-less client is refused now, the CA's client still gets in.
  const [withCa, without] = await connect(url, certs, ["client", null]);
  expect(withCa).toBe(200);
  expect(without).not.toBe(200);
});

test("report mode lets everyone in and counts the would-be refusals; Switch to Required previews them and saves", async ({ page, api, certs }) => {
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const { listener, url } = await httpsListener(api, "report");

  // Report only, chosen in Edit: nobody seen yet, so the save needs no second answer.
  await page.goto(`/listeners/${listener.id}`);
  await openEdit(page);
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await dialog.getByLabel("Client CA certificate").selectOption({ label: ca.name });
  const reportOnly = dialog.getByRole("radio", { name: "Report only" });
  await expect(reportOnly).toHaveAccessibleDescription(
    "Report only: certificates are checked as in Required, nobody is refused, and connections Required would refuse are logged as would-be refusals.",
  );
  await reportOnly.check();
  await expect(dialog.getByRole("region", { name: "Impact preview" }).getByRole("status")).toHaveText("No clients seen on this listener in the last 24 hours.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("definition").filter({ hasText: /^Report only$/ })).toBeVisible();

  // Everyone gets in; Required would have refused the other CA's client (twice) and the one without a certificate.
  expect(await connect(url, certs, ["client", "client-other", "client-other", null])).toEqual([200, 200, 200, 200]);
  const panel = page.getByRole("region", { name: "Report only" });
  await expect(panel).toContainText("3 connections from 2 clients in the last 24 hours would have been refused by Required (of 4 in all).");
  const log = page.getByRole("table", { name: "Latest connections, newest first" });
  await expect(log.getByText("Would reject")).toHaveCount(3);
  await expect(log.getByRole("row").filter({ hasText: "Would reject" }).filter({ hasText: "Not issued by the trusted CA" })).toHaveCount(2);
  await expect(log.getByRole("row").filter({ hasText: "Would reject" }).filter({ hasText: "No client certificate" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "Accepted" })).toHaveCount(1);
  await expectAccessible(page, "a listener page in report mode");
  await page.screenshot({ path: path.join(SCREENSHOTS, "report-mode-listener.png"), fullPage: true });

  await panel.getByRole("button", { name: "Switch to Required" }).click();
  const switchDialog = page.getByRole("dialog", { name: "Switch to Required" });
  const preview = switchDialog.getByRole("region", { name: "Impact preview" });
  await expect(preview.getByRole("status")).toHaveText("2 of 3 clients seen in the last 24 hours would be refused.");
  await expect.poll(() => rowsOf(preview)).toEqual(["CN=client-other,O=Other Corp | 2 | Not issued by the trusted CA", "No certificate | 1 | No client certificate"]);
  await switchDialog.screenshot({ path: path.join(SCREENSHOTS, "report-mode-switch.png") });
  await switchDialog.getByRole("button", { name: "Switch to Required" }).click();
  await expect(switchDialog).toBeHidden();

  await expect(page.getByRole("definition").filter({ hasText: /^Required$/ })).toBeVisible();
  await expect(panel).toBeHidden();
  expect((await listenerJson(api, listener.id)).clientAuth).toMatchObject({ enabled: true, mode: "required", caCertificateId: ca.id });
  const [trusted, other] = await connect(url, certs, ["client", "client-other"]);
  expect(trusted).toBe(200);
  expect(other).toBe(403);
});
