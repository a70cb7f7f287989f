// Revocation (issue 11): an operator uploads a CRL made by `openssl ca -gencrl` on a CA certificate's
// page; from the next connection on, a Node https client with the revoked client certificate gets a
// 403 naming reason revoked, the other client of the CA still gets in, and the listener's connection
// log says "Revoked by the CA's CRL". A CRL signed by another CA is refused in the dialog.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { crlFile } from "../test/certs";
import { buildCrl } from "../test/crl-builder";
import { freePort } from "../test/ports";
import { expectAccessible } from "./support/axe";
import { expect, test, unique } from "./support/fixtures";
import { getEndpoint } from "./support/tls-client";

const SCREENSHOTS = path.join("test-results", "screens");

/** What a test made that other specs could pick up (ensureCertificate matches a CA object by its first certificate). */
let cleanup: (() => Promise<unknown>)[] = [];
test.afterEach(async () => {
  for (const undo of cleanup.reverse()) await undo();
  cleanup = [];
});

/** A CA object of the test's own: a bundle starting with the intermediate, so no other spec's lookup finds it. */
async function ownCa(api: { uploadCertificate: (input: { name: string; kind: "ca"; certFile: string }) => Promise<{ id: string; name: string }>; request: { delete: (url: string) => Promise<unknown> } }, certs: (name: string) => string, files: string[], name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-crl-e2e-"));
  const file = path.join(dir, `${name}.pem`);
  fs.writeFileSync(file, files.map((f) => fs.readFileSync(certs(f), "utf8")).join(""));
  const ca = await api.uploadCertificate({ name: unique(name), kind: "ca", certFile: file });
  cleanup.push(() => api.request.delete(`/api/v1/certificates/${ca.id}`));
  return { ca, dir };
}

test("a CRL uploaded on the CA's page refuses the client it revokes (403 revoked), and deleting it lets the client in again", async ({ page, api, certs }) => {
  crlFile("crl-root-1.pem"); // makes the CRL section of the test certificates when missing
  // A CA object of this spec's own (intermediate + root + other CA), so no other spec's listener sees its CRLs.
  const { ca } = await ownCa(api, certs, ["intermediate-ca.pem", "root-ca.pem", "other-ca.pem"], "crl-ca");
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("crl"));
  const port = await freePort();
  const listener = await api.createListener(lb.id, { name: "https-crl", protocol: "HTTPS", port, certificateId: server.id, clientAuth: { enabled: true, caCertificateId: ca.id } });
  cleanup.push(() => api.request.delete(`/api/v1/load-balancers/${lb.id}`));
  const url = `https://127.0.0.1:${port}/`;
  const as = (name: string) => ({ caFile: certs("root-ca.pem"), certFile: certs(`${name}.pem`), keyFile: certs(`${name}.key`) });
  expect(await getEndpoint(url, as("client"))).toMatchObject({ kind: "response", status: 200 });

  await page.goto(`/certificates/${ca.id}`);
  const section = page.getByRole("region", { name: "Certificate revocation lists" });
  await expect(section.getByText("No CRL uploaded")).toBeVisible();
  await section.getByRole("button", { name: "Upload CRL" }).click();
  const dialog = page.getByRole("dialog", { name: "Upload CRL" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "the Upload CRL dialog");

  // Signed by a CA outside this bundle: refused with the signer named, nothing stored.
  await dialog.getByLabel("CRL file").setInputFiles(certs("crl-ed25519.pem"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog.getByText(/This CRL is signed by CN=pki Ed25519 CA.*not by this CA/i)).toBeVisible();
  await expectAccessible(page, "the Upload CRL dialog showing a refusal");
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "crl-upload-refused.png") });

  await dialog.getByLabel("CRL file").setInputFiles(certs("crl-root-1.pem"));
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog).toBeHidden();
  const row = section.getByTestId("crl-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("CN=Test Root CA, O=Test Corp");
  await expect(row.getByText("In force")).toBeVisible();
  await expect(row.getByRole("cell", { name: "1", exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "crl-section.png"), fullPage: true });

  // In force for the next connection: the revoked client is told why, the other gets in.
  expect(await getEndpoint(url, as("client"))).toMatchObject({ kind: "response", status: 403, body: { reason: "revoked" } });
  expect(await getEndpoint(url, as("client-two"))).toMatchObject({ kind: "response", status: 200 });

  await page.goto(`/listeners/${listener.id}`);
  const log = page.getByRole("table", { name: "Latest connections, newest first" });
  await expect(log.getByRole("row").filter({ hasText: "Revoked by the CA's CRL" })).toContainText("CN=client-one");
  await page.screenshot({ path: path.join(SCREENSHOTS, "crl-connection-log.png"), fullPage: true });

  // Delete, confirmed: the client is let in again.
  await page.goto(`/certificates/${ca.id}`);
  await section.getByRole("button", { name: /Delete the CRL of/ }).click();
  const confirm = page.getByRole("dialog", { name: "Delete CRL?" });
  await expect(confirm).toContainText("It is in force");
  await confirm.getByRole("button", { name: "Delete CRL" }).click();
  await expect(confirm).toBeHidden();
  await expect(section.getByText("No CRL uploaded")).toBeVisible();
  expect(await getEndpoint(url, as("client"))).toMatchObject({ kind: "response", status: 200 });
});

test("the expiry banner flags a CRL in force past its next update, and a 100,000-entry CRL uploaded in the dialog supersedes it", async ({ page, api, certs }) => {
  // Its own CA object again (intermediate + other CA), its CRLs signed by the other CA.
  const { ca, dir } = await ownCa(api, certs, ["intermediate-ca.pem", "other-ca.pem"], "stale-crl-ca");
  const signedByOther = (thisUpdate: Date, nextUpdate: Date, serials: bigint[]) =>
    buildCrl({ caCertificate: fs.readFileSync(certs("other-ca.pem")), caKey: fs.readFileSync(certs("other-ca.key")), thisUpdate, nextUpdate, serials });
  const stale = signedByOther(new Date(Date.now() - 3 * 86_400_000), new Date(Date.now() - 86_400_000), []);
  const uploaded = await api.request.post(`/api/v1/certificates/${ca.id}/crls`, { data: { crl: stale.toString("base64") } });
  expect(uploaded.status()).toBe(201);
  await page.goto("/certificates");
  const banner = page.getByRole("status").filter({ hasText: "past its next update" });
  await expect(banner).toContainText(`The CRL in force for CA certificate ${ca.name} is past its next update`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, "crl-expiry-banner.png") });
  await banner.getByRole("link", { name: ca.name }).click();
  const section = page.getByRole("region", { name: "Certificate revocation lists" });
  await expect(section.getByText("Past next update")).toBeVisible();

  // A current CRL of 100,000 entries (~2.2 MB DER, more than the 2 MiB server actions took before) through the dialog.
  const bigFile = path.join(dir, "big.crl");
  fs.writeFileSync(bigFile, signedByOther(new Date(Date.now() - 60_000), new Date(Date.now() + 7 * 86_400_000), Array.from({ length: 100_000 }, (_, i) => 1_000_000n + BigInt(i))));
  await section.getByRole("button", { name: "Upload CRL" }).click();
  const dialog = page.getByRole("dialog", { name: "Upload CRL" });
  await dialog.getByLabel("CRL file").setInputFiles(bigFile);
  await dialog.getByRole("button", { name: "Upload" }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  const current = section.getByTestId("crl-row").filter({ hasText: "100,000" });
  await expect(current.getByText("In force")).toBeVisible();
  await expect(section.getByTestId("crl-row").filter({ hasText: "Past next update" }).getByText("Superseded")).toBeVisible();
  // Superseded: the banner no longer flags it.
  await expect(page.getByRole("status").filter({ hasText: "past its next update" })).toHaveCount(0);
});
