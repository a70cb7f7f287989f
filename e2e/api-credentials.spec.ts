// A user's credentials for the API, made in the console: personal API tokens (shown once, used
// with Authorization: Bearer, revoked at once) and client certificates bound on the Authentication
// tab (clientAuth only, at most five, removable).
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";
import { expectAccessible } from "./support/axe";
import { E2E } from "./support/env";
import { expect, test, unique } from "./support/fixtures";
import { createUser, signedInAsAdmin, signedInPage } from "./support/identity";
import { makeClientCertificate } from "./support/openssl";
import { getEndpoint } from "./support/tls-client";

const SCREENSHOTS = path.join("test-results", "screens");

// Each test signs in two or three people (scrypt) and runs several axe scans: on a busy two-core
// machine that takes longer than the suite's default minute.
test.describe.configure({ timeout: 180_000 });

test("a user creates an API token, sees it once, calls the API with it and revokes it", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const user = await createUser(admin.request, "viewer", "ui-token");
  const page = await signedInPage(browser, user.username, user.password);
  await page.getByRole("link", { name: new RegExp(`${user.username} \\(viewer\\)`) }).click();
  await page.getByRole("tab", { name: "API tokens" }).click();
  await expect(page.getByText("No API tokens yet.")).toBeVisible();

  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create token" });
  await expect(dialog.getByLabel("Expires in days")).toHaveValue("30");
  await expectAccessible(page, "Create token dialog");
  await dialog.getByLabel("Expires in days").fill("400");
  await dialog.getByLabel("Name").fill("ci-script");
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByText("Choose an expiry from 1 to 365 days.")).toBeVisible();
  await dialog.getByLabel("Expires in days").fill("7");
  await dialog.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: "API token created" });
  await expect(shown.getByText("it won't be shown again")).toBeVisible();
  await expect(shown.getByRole("button", { name: "Copy token" })).toBeVisible();
  await expectAccessible(page, "API token created dialog");
  const token = await shown.getByLabel("Token ci-script").inputValue();
  expect(token.length).toBeGreaterThan(20);
  await shown.getByRole("button", { name: "Done" }).click();

  // Listed without its secret; the page never shows it again.
  const row = page.getByRole("row").filter({ hasText: "ci-script" });
  await expect(row).toContainText("Never");
  expect(await page.content()).not.toContain(token);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("dialog", { name: "Create token" }).getByLabel("Name")).toHaveValue("");
  await page.keyboard.press("Escape");

  const script = await playwrightRequest.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await script.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ id: user.id, username: user.username, role: "viewer", authenticatedBy: "token" });
  // The token has the user's role: a viewer's token cannot write.
  expect((await script.post("/api/v1/load-balancers", { data: { name: unique("by-token") } })).status()).toBe(403);

  await page.reload();
  await page.getByRole("tab", { name: "API tokens" }).click();
  await expect(page.getByRole("row").filter({ hasText: "ci-script" })).not.toContainText("Never");
  await page.getByRole("row").filter({ hasText: "ci-script" }).getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke API token" });
  await expectAccessible(page, "Revoke API token dialog");
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("No API tokens yet.")).toBeVisible();

  const after = await script.get("/api/v1/me");
  expect(after.status()).toBe(401);
  expect((await after.json()).detail).toMatch(/unknown or was revoked/);
  await script.dispose();
});

test("a user binds self-signed clientAuth certificates on the Authentication tab, at most five, and removes one", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const user = await createUser(admin.request, "operator", "ui-certs");
  const page = await signedInPage(browser, user.username, user.password);
  await page.goto(`/users/${user.id}`);
  await page.getByRole("tab", { name: "Authentication" }).click();
  await expect(page.getByTestId("certificate-count")).toHaveText("0 of 5");
  await expect(page.getByText(/not for the web console/)).toBeVisible();
  // The curl line names this console's own port and CA file, so it works as printed.
  const apiUrl = `https://127.0.0.1:${E2E.apiMtlsPort}`;
  const caFile = path.join(E2E.dataDir, "api-tls", "ca.crt");
  await expect(page.getByText(`curl --cacert ${caFile} --cert client.crt --key client.key ${apiUrl}/api/v1/me`)).toBeVisible();

  // The method saves at once.
  const method = page.getByRole("checkbox", { name: "Client certificate authentication" });
  await expect(method).not.toBeChecked();
  await method.check();
  await expect(page.getByText("Client certificate authentication turned on").first()).toBeVisible();
  expect((await (await page.request.get(`/api/v1/users/${user.id}`)).json()).clientCertificateAuth).toBe(true);

  // A certificate for servers only is refused beside the field, and nothing is bound.
  const serverOnly = makeClientCertificate(unique("server-only"), 30, "serverAuth");
  await page.getByLabel("Certificate file").setInputFiles(serverOnly);
  await page.getByRole("button", { name: "Add certificate" }).click();
  await expect(page.locator("#bind-file-error")).toContainText(/clientAuth/);
  await expect(page.getByTestId("certificate-count")).toHaveText("0 of 5");

  // Five bindings: files and pasted PEM.
  const names: string[] = [];
  const files: string[] = [];
  for (let i = 1; i <= 5; i += 1) {
    const name = unique(`ui-bound-${i}`);
    const file = makeClientCertificate(name);
    names.push(name);
    files.push(file);
    if (i % 2 === 0) {
      await page.getByLabel("Paste PEM").fill(fs.readFileSync(file, "utf8"));
    } else {
      await page.getByLabel("Certificate file").setInputFiles(file);
    }
    await page.getByRole("button", { name: "Add certificate" }).click();
    await expect(page.getByTestId("certificate-count")).toHaveText(`${i} of 5`);
    await expect(page.getByRole("row").filter({ hasText: `CN=${name}` })).toContainText("Self-signed");
  }
  await expect(page.getByRole("button", { name: "Add certificate" })).toBeDisabled();
  await expect(page.getByText("5 of 5 client certificates are bound, the most a user can have; remove one to add another.")).toBeVisible();
  await expectAccessible(page, "Authentication tab");
  await page.screenshot({ path: path.join(SCREENSHOTS, "authentication-tab.png"), fullPage: true });

  // A bound certificate is this user on the client-certificate port.
  const keyOf = (certFile: string) => path.join(path.dirname(certFile), "client.key");
  const asBound = await getEndpoint(`${apiUrl}/api/v1/me`, { caFile, certFile: files[0], keyFile: keyOf(files[0]) });
  expect(asBound).toMatchObject({ kind: "response", status: 200, body: { id: user.id, username: user.username, authenticatedBy: "certificate" } });

  // The sixth is refused by the server too, with a message that says why.
  const sixth = await page.request.post(`/api/v1/users/${user.id}/client-certificates`, {
    data: { certificate: fs.readFileSync(makeClientCertificate(unique("ui-sixth")), "utf8") },
  });
  expect(sixth.status()).toBe(409);
  expect((await sixth.json()).detail).toMatch(/already has 5 client certificates/);

  const first = page.getByRole("row").filter({ hasText: `CN=${names[0]}` });
  await first.getByRole("button", { name: /Remove/ }).click();
  await expectAccessible(page, "Remove client certificate dialog");
  await page.getByRole("dialog", { name: "Remove client certificate" }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("certificate-count")).toHaveText("4 of 5");
  await expect(first).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add certificate" })).toBeEnabled();
  const removed = await getEndpoint(`${apiUrl}/api/v1/me`, { caFile, certFile: files[0], keyFile: keyOf(files[0]) });
  expect(removed).toMatchObject({ kind: "response", status: 401 });

  // The same certificate cannot be bound to a second user.
  const other = await createUser(admin.request, "viewer", "ui-certs-other");
  await admin.goto(`/users/${other.id}`);
  await admin.getByRole("tab", { name: "Authentication" }).click();
  await admin.getByLabel("Paste PEM").fill(fs.readFileSync(files[1], "utf8"));
  await admin.getByRole("button", { name: "Add certificate" }).click();
  await expect(admin.locator("#bind-pem-error")).toContainText("already bound to another user");
});
