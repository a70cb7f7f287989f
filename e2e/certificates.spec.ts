import fs from "node:fs";
import path from "node:path";
import { expect, test, unique } from "./support/fixtures";
import { E2E } from "./support/env";

test("upload a CA certificate file and see it in the list", async ({ page, certs }) => {
  const name = unique("corp-intermediate");
  await page.goto("/certificates");
  await expect(page.getByRole("heading", { name: "Certificates" })).toBeVisible();
  await page.getByRole("button", { name: "Upload certificate" }).click();
  const dialog = page.getByRole("dialog", { name: "Upload certificate" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Type").selectOption({ label: "CA certificate" });
  await dialog.getByLabel("Certificate file").setInputFiles(certs("intermediate-ca.pem"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Test Intermediate CA");
  await expect(row).toContainText("days left");
});

test("bad uploads are refused beside the field and store nothing", async ({ page, request, certs }) => {
  const countBefore = (await (await request.get("/api/v1/certificates?limit=500")).json()).items.length;
  const garbage = path.join(E2E.dataDir, "garbage.pem");
  fs.writeFileSync(garbage, "this is not a certificate\n");

  await page.goto("/certificates");
  await page.getByRole("button", { name: "Upload certificate" }).click();
  const dialog = page.getByRole("dialog", { name: "Upload certificate" });
  await dialog.getByLabel("Name").fill(unique("garbage"));
  await dialog.getByLabel("Certificate file").setInputFiles(garbage);
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog.getByRole("alert").first()).toBeVisible();
  await expect(dialog.getByLabel("Certificate file")).toHaveAttribute("aria-invalid", "true");

  // A client certificate uploaded as a CA names the problem.
  await dialog.getByLabel("Certificate file").setInputFiles(certs("client.pem"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "not a CA" })).toBeVisible();

  // A server certificate without its key is stopped before it is sent.
  await dialog.getByLabel("Type").selectOption({ label: "Server certificate" });
  await dialog.getByLabel("Certificate file").setInputFiles(certs("server.pem"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog.getByText("needs its private key")).toBeVisible();

  const countAfter = (await (await request.get("/api/v1/certificates?limit=500")).json()).items.length;
  expect(countAfter).toBe(countBefore);
});

test("certificate details show what an operator checks, and no private key anywhere", async ({ page, api, request }) => {
  const server = await api.serverCertificate();
  await page.goto(`/certificates/${server.id}`);
  await expect(page.getByRole("heading", { name: server.name })).toBeVisible();
  for (const label of ["Subject", "Issuer", "Serial number", "SHA-256 fingerprint", "Subject alternative names", "Extended key usage"]) {
    await expect(page.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(page.getByText("DNS:localhost")).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain("PRIVATE KEY");
  const body = await (await request.get(`/api/v1/certificates/${server.id}`)).text();
  expect(body).not.toContain("PRIVATE KEY");
  expect(body).toContain("BEGIN CERTIFICATE");
});
