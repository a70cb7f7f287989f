// The Certificates pages as an operator uses them: the Upload certificate dialog and its errors,
// warnings, the details view with PEM download, and Delete. Set-up goes through the API.
import fs from "node:fs";
import type { APIRequestContext, Page } from "@playwright/test";
import { expectAccessible } from "./support/axe";
import { expect, test, unique } from "./support/fixtures";
import { corpusFile, postCertificate, readCorpus, storedState } from "./support/certificates-helpers";

/** Names this test gave certificates (through the UI or the API); removed afterwards, pass or fail. */
const names: string[] = [];
const listenerIds: string[] = [];
const named = (prefix: string) => {
  const name = unique(prefix);
  names.push(name);
  return name;
};
test.afterEach(async ({ request }) => {
  for (const id of listenerIds.splice(0)) await request.delete(`/api/v1/listeners/${id}`);
  const mine = new Set(names.splice(0));
  const list = await (await request.get("/api/v1/certificates?limit=500")).json();
  for (const c of list.items as { id: string; name: string }[]) if (mine.has(c.name)) await request.delete(`/api/v1/certificates/${c.id}`);
});

async function openUploadDialog(page: Page) {
  await page.goto("/certificates");
  await expect(page.getByRole("heading", { name: "Certificates" })).toBeVisible();
  await page.getByRole("button", { name: "Upload certificate" }).click();
  return page.getByRole("dialog", { name: "Upload certificate" });
}

async function apiUpload(request: APIRequestContext, body: Parameters<typeof postCertificate>[2]) {
  const response = await postCertificate(request, "json", body);
  expect(response.status(), await response.text()).toBe(201);
  return response.json() as Promise<{ id: string; name: string; pem?: string }>;
}

test("upload a CA certificate file and see it in the list", async ({ page }) => {
  const name = named("ui-ca");
  const dialog = await openUploadDialog(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Type").selectOption({ label: "CA certificate" });
  await dialog.getByLabel("Certificate file").setInputFiles(corpusFile("upload-ca.der"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Certificate ${name} uploaded` })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("CA certificate");
  await expect(row).toContainText("Upload Root CA");
  await expect(row).toContainText(/\d+ days left/);
});

test("Paste PEM uploads a client certificate", async ({ page }) => {
  const name = named("ui-pasted");
  const dialog = await openUploadDialog(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Type").selectOption({ label: "Client certificate" });
  // Pasted the way people copy it: with text around the block and Windows line ends.
  const pasted = `Here is the certificate you asked for:\r\n${readCorpus("upload-client.pem").toString().replace(/\n/g, "\r\n")}\r\nRegards`;
  await dialog.getByLabel("Paste PEM").fill(pasted);
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("upload-client");
});

test("private key and passphrase are asked for server certificates only", async ({ page }) => {
  const dialog = await openUploadDialog(page);
  for (const type of ["CA certificate", "Client certificate"]) {
    await dialog.getByLabel("Type").selectOption({ label: type });
    await expect(dialog.getByLabel("Private key")).toHaveCount(0);
    await expect(dialog.getByLabel("Passphrase")).toHaveCount(0);
  }
  await dialog.getByLabel("Type").selectOption({ label: "Server certificate" });
  await expect(dialog.getByLabel("Private key")).toBeVisible();
  await expect(dialog.getByLabel("Passphrase")).toBeVisible();
});

test("each refusal lands on its field, stores nothing, and the fixed upload goes through", async ({ page, request }) => {
  const taken = await apiUpload(request, { name: named("ui-taken"), kind: "ca", certificate: readCorpus("upload-intermediate-ca.pem").toString() });
  const before = await storedState(request);
  const dialog = await openUploadDialog(page);
  const upload = () => dialog.getByRole("button", { name: "Upload" }).click();
  const expectOn = async (label: string, message: RegExp) => {
    const control = dialog.getByLabel(label, { exact: true });
    await expect(control).toHaveAttribute("aria-invalid", "true");
    await expect(control).toHaveAccessibleDescription(message);
  };
  const certificateFile = dialog.getByLabel("Certificate file");

  await upload();
  await expectOn("Name", /Give the certificate a name/);
  await expectOn("Certificate file", /Choose a certificate file/);

  const name = named("ui-server");
  await dialog.getByLabel("Name").fill(name);
  const refusals: [file: string, type: string, message: RegExp][] = [
    ["upload-empty.pem", "CA certificate", /empty/],
    ["upload-garbage.bin", "CA certificate", /certificate/],
    ["upload-request.pem", "Client certificate", /certificate signing request \(CSR\)/],
    ["upload-client.key", "CA certificate", /private key/],
    ["upload-client-with-key.pem", "Client certificate", /private key; upload only the certificate/],
    ["upload-trailing.der", "CA certificate", /followed by extra data/],
    ["upload-truncated.pem", "CA certificate", /no END line/],
    ["upload-ca.pem", "Client certificate", /is a CA .* not a client certificate/],
    ["upload-client.pem", "CA certificate", /not a CA/],
    ["upload-rsa1024-client.pem", "Client certificate", /1024-bit RSA key/],
    ["client-expired.pem", "Client certificate", /expired on 2021-01-01/],
    ["client-future.pem", "Client certificate", /not valid until 2099-01-01/],
    ["client-noeku.pem", "Client certificate", /TLS Web Client Authentication/],
    ["client-serveronly.pem", "Client certificate", /TLS Web Client Authentication/],
    ["upload-ca-bundle-101.pem", "CA certificate", /101 certificates/],
    ["upload-5mib.pem", "CA certificate", /larger than 1 MiB/],
  ];
  for (const [file, type, message] of refusals) {
    await dialog.getByLabel("Type").selectOption({ label: type });
    await certificateFile.setInputFiles(corpusFile(file));
    await upload();
    await expectOn("Certificate file", message);
  }

  // Pasted text that is no certificate: the message is on the paste box.
  await certificateFile.setInputFiles([]);
  await dialog.getByLabel("Type").selectOption({ label: "CA certificate" });
  await dialog.getByLabel("Paste PEM").fill("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----");
  await upload();
  await expectOn("Paste PEM", /not valid base64/);
  await dialog.getByLabel("Paste PEM").fill("");

  // Name taken.
  await dialog.getByLabel("Name").fill(taken.name);
  await dialog.getByLabel("Type").selectOption({ label: "Client certificate" });
  await certificateFile.setInputFiles(corpusFile("upload-client.pem"));
  await upload();
  await expectOn("Name", /already exists; choose another name/);

  // Server certificate: key missing, wrong key, encrypted key without and with a wrong passphrase.
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Type").selectOption({ label: "Server certificate" });
  await certificateFile.setInputFiles(corpusFile("upload-server.pem"));
  await upload();
  await expectOn("Private key", /needs its private key/);
  await dialog.getByLabel("Private key").setInputFiles(corpusFile("upload-client.key"));
  await upload();
  await expectOn("Private key", /does not belong to this certificate/);
  await dialog.getByLabel("Private key").setInputFiles(corpusFile("upload-server.enc.key"));
  await upload();
  await expectOn("Passphrase", /encrypted; enter its passphrase/);
  await dialog.getByLabel("Passphrase").fill("not the passphrase");
  await upload();
  await expectOn("Passphrase", /passphrase does not decrypt/);
  await expectAccessible(page, "Upload certificate dialog with a field error");
  await certificateFile.setInputFiles(corpusFile("upload-server-with-key.pem"));
  await upload();
  await expectOn("Certificate file", /put the key in the Private key field/);
  expect(await storedState(request)).toEqual(before);

  await certificateFile.setInputFiles(corpusFile("upload-server-chain.pem"));
  await dialog.getByLabel("Passphrase").fill("upload passphrase");
  await upload();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Server certificate");
  expect(await page.content()).not.toContain("PRIVATE KEY");
});

test("warnings are shown at upload, stay in view, and are on the details page", async ({ page }) => {
  const cases: [file: string, type: string, warning: RegExp][] = [
    ["upload-expiring-client.pem", "Client certificate", /expires on \d{4}-\d\d-\d\d \(in \d+ days\); plan its renewal/],
    ["upload-sha1-client.pem", "Client certificate", /signed with SHA-1/],
    ["upload-intermediate-ca.pem", "CA certificate", /no self-signed root CA/],
  ];
  for (const [index, [file, type, warning]] of cases.entries()) {
    const name = named("ui-warned");
    const dialog = await openUploadDialog(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Type").selectOption({ label: type });
    await dialog.getByLabel("Certificate file").setInputFiles(corpusFile(file));
    await dialog.getByRole("button", { name: "Upload" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: warning })).toBeVisible();
    // The toast goes; the note stays until dismissed.
    const note = page.getByRole("region", { name: "Warnings" });
    await expect(note).toContainText(`${name} was uploaded with warnings`);
    await expect(note).toContainText(warning);
    if (index === 0) {
      await page.waitForTimeout(4_500); // longer than a toast is shown
      await expect(note).toBeVisible();
      await expectAccessible(page, "certificate list with upload warnings");
    }
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("1 warning");

    await note.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByRole("region", { name: "Warnings" })).toContainText(warning);
    if (index === 0) await expectAccessible(page, "certificate details with warnings");
  }
  await page.goto("/certificates");
  await expect(page.getByRole("region", { name: "Warnings" })).toHaveCount(0);
});

test("filter the list by type", async ({ page, request }) => {
  const ca = await apiUpload(request, { name: named("ui-filter-ca"), kind: "ca", certificate: readCorpus("upload-ca.pem").toString() });
  const client = await apiUpload(request, { name: named("ui-filter-client"), kind: "client", certificate: readCorpus("upload-client.pem").toString() });
  await page.goto("/certificates");
  const filter = page.getByLabel("Filter by type");
  const rowOf = (name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(rowOf(ca.name)).toBeVisible();
  await expect(rowOf(client.name)).toBeVisible();

  await filter.selectOption({ label: "Client certificates" });
  await expect(rowOf(ca.name)).toHaveCount(0);
  await expect(rowOf(client.name)).toBeVisible();
  for (const type of await page.getByRole("row").locator("td:nth-child(2)").allTextContents()) expect(type).toBe("Client certificate");

  await filter.selectOption({ label: "CA certificates" });
  await expect(rowOf(client.name)).toHaveCount(0);
  await expect(rowOf(ca.name)).toBeVisible();

  await filter.selectOption({ label: "All types" });
  await expect(rowOf(client.name)).toBeVisible();
});

test("details show what an operator checks, the PEM downloads, and no private key is anywhere", async ({ page, request }) => {
  const server = await apiUpload(request, {
    name: named("ui-details"),
    kind: "server",
    certificate: readCorpus("upload-server-chain.pem").toString(),
    privateKey: readCorpus("upload-server.key").toString(),
  });
  await page.goto("/certificates");
  await page.getByRole("link", { name: server.name, exact: true }).click();
  await expect(page.getByRole("heading", { name: server.name })).toBeVisible();
  const details = page.getByRole("definition");
  for (const label of [
    "Subject",
    "Issuer",
    "Serial number",
    "Valid from",
    "Valid until",
    "Subject alternative names",
    "Key",
    "Signature algorithm",
    "Key usage",
    "Extended key usage",
    "Basic constraints",
    "SHA-256 fingerprint",
    "Used by",
  ]) {
    await expect(page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) })).toBeVisible();
  }
  await expect(details.filter({ hasText: "DNS:localhost, IP:127.0.0.1" })).toBeVisible();
  await expect(details.filter({ hasText: "CN=Test Root CA, O=Test Corp" })).toBeVisible();
  await expect(details.filter({ hasText: "TLS Web Server Authentication" })).toBeVisible();
  await expect(details.filter({ hasText: /days left/ })).toBeVisible();
  await expect(details.filter({ hasText: "EC P-256" })).toBeVisible();

  const stored = await (await request.get(`/api/v1/certificates/${server.id}`)).json();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download PEM" }).click()]);
  expect(download.suggestedFilename()).toBe(`${server.name}.pem`);
  const downloaded = fs.readFileSync(await download.path(), "utf8");
  expect(downloaded).toBe(stored.pem);
  expect(downloaded.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  expect(downloaded).not.toContain("PRIVATE KEY");
  expect(await page.content()).not.toContain("PRIVATE KEY");
});

test("Delete is blocked with the listener's name while in use, and asks first otherwise", async ({ page, request }) => {
  const server = await apiUpload(request, {
    name: named("ui-delete"),
    kind: "server",
    certificate: readCorpus("upload-server.pem").toString(),
    privateKey: readCorpus("upload-server.key").toString(),
  });
  const lb = await (await request.post("/api/v1/load-balancers", { data: { name: unique("ui-delete-lb") } })).json();
  const listener = await request.post(`/api/v1/load-balancers/${lb.id}/listeners`, {
    data: { name: "https-18541", protocol: "HTTPS", port: 18541, certificateId: server.id },
  });
  expect(listener.status(), await listener.text()).toBe(201);
  const listenerId = (await listener.json()).id;
  listenerIds.push(listenerId);

  await page.goto(`/certificates/${server.id}`);
  await expect(page.getByRole("definition").filter({ hasText: "https-18541" })).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "used by listener https-18541; remove it from there first" })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expectAccessible(page, "certificate details with Delete blocked");
  expect((await request.get(`/api/v1/certificates/${server.id}`)).status()).toBe(200);

  expect((await request.delete(`/api/v1/listeners/${listenerId}`)).status()).toBe(204);
  await page.reload();
  await expect(page.getByRole("definition").filter({ hasText: "No listener" })).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete certificate?" });
  await expect(confirm).toContainText(server.name);
  await expectAccessible(page, "Delete certificate? dialog");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect((await request.get(`/api/v1/certificates/${server.id}`)).status()).toBe(200);

  await page.getByRole("button", { name: "Delete" }).click();
  await confirm.getByRole("button", { name: "Delete certificate" }).click();
  await expect(page).toHaveURL(/\/certificates$/);
  await expect(page.getByRole("link", { name: server.name, exact: true })).toHaveCount(0);
  expect((await request.get(`/api/v1/certificates/${server.id}`)).status()).toBe(404);
});

test("a subject with markup is shown as text in the list and on the details page", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const xss = await apiUpload(request, { name: named("ui-xss"), kind: "client", certificate: readCorpus("upload-xss-client.pem").toString() });

  await page.goto("/certificates");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: xss.name, exact: true }) });
  await expect(row.getByRole("cell", { name: "<img src=x onerror=alert(1)>", exact: true })).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await row.getByRole("link", { name: xss.name }).click();
  await expect(page.getByRole("definition").filter({ hasText: "CN=<img src=x onerror=alert(1)>, O=Upload Corp" })).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
