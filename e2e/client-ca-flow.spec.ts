// The flow users asked for: Load Balancers → a load balancer → Listener tab → Edit →
// Advanced Settings → Enable Client CA → pick a CA → Save, then a real TLS client is
// refused or let in by the endpoint, without a restart.
import path from "node:path";
import { expect, test, unique } from "./support/fixtures";
import { E2E } from "./support/env";
import { getEndpoint } from "./support/tls-client";

const demoDir = path.join(E2E.dataDir, "demo");
const demoUrl = `https://127.0.0.1:${E2E.demoHttpsPort}/`;

test("the demo HTTPS listener: enable Client CA in the console, curl is refused without a certificate and let in with one", async ({ page, certs }) => {
  const ca = path.join(demoDir, "ca.crt");
  // Before: no client certificate needed.
  const before = await getEndpoint(demoUrl, { caFile: ca });
  expect(before.kind === "response" && before.status).toBe(200);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Load Balancers" })).toBeVisible();
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await expect(page.getByRole("heading", { name: "demo", exact: true })).toBeVisible();
  await page.getByRole("tab", { name: "Listener" }).click();

  const row = page.getByRole("row").filter({ hasText: `https-${E2E.demoHttpsPort}` });
  await expect(row.getByText("Disabled")).toBeVisible();
  await row.getByRole("button", { name: "Edit" }).click();

  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await expect(dialog.getByText("Advanced Settings")).toBeVisible();
  const save = dialog.getByRole("button", { name: "Save" });
  await expect(save).toBeDisabled();
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await dialog.getByLabel("Client CA certificate").selectOption({ label: "demo-ca" });
  await expect(save).toBeEnabled();
  await save.click();
  // The certificate-less client seen above would be refused now: Save asks once more (e2e/impact-preview.spec.ts).
  const confirm = page.getByRole("dialog", { name: "Refuse clients?" });
  await expect(confirm).toHaveAccessibleDescription(/^This change refuses \d+ clients? seen in the last 24 hours\. Save anyway\?$/);
  await confirm.getByRole("button", { name: "Save anyway" }).click();
  await expect(dialog).toBeHidden();
  // The Client CA column names the CA clients must now chain to.
  await expect(row.getByRole("cell", { name: "demo-ca", exact: true })).toBeVisible();

  // Right after Save: refused without a certificate (a TLS alert), and with one from another CA (a 403 naming why).
  expect((await getEndpoint(demoUrl, { caFile: ca })).kind).toBe("refused");
  expect(await getEndpoint(demoUrl, { caFile: ca, certFile: certs("client.pem"), keyFile: certs("client.key") })).toMatchObject({
    kind: "response",
    status: 403,
    body: { reason: "untrusted_issuer" },
  });
  // Let in with the demo client certificate, and the echo says what was verified.
  const accepted = await getEndpoint(demoUrl, { caFile: ca, certFile: path.join(demoDir, "client.crt"), keyFile: path.join(demoDir, "client.key") });
  expect(accepted.kind).toBe("response");
  if (accepted.kind === "response") {
    expect(accepted.status).toBe(200);
    expect(accepted.body.listener).toMatchObject({ name: `https-${E2E.demoHttpsPort}` });
    expect(accepted.body.clientCertificate).toMatchObject({ subject: expect.stringContaining("CN=demo-client") });
  }

  // Unchecking and saving lets certificate-less clients in again.
  await row.getByRole("button", { name: "Edit" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).uncheck();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Disabled")).toBeVisible();
  const after = await getEndpoint(demoUrl, { caFile: ca });
  expect(after.kind === "response" && after.status).toBe(200);
});

test("a CA uploaded from inside the Edit dialog is selected and enforced with openssl-made client certificates", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("lb"));
  const listener = await api.createListener(lb.id, { name: "https-18444", protocol: "HTTPS", port: 18444, certificateId: server.id });
  const url = `${listener.endpoint.url}/`;
  const rootCa = certs("root-ca.pem");
  // A bundle (intermediate + root) of its own, so no other spec's upload of the root collides with it.
  const bundle = certs("ca-bundle.pem");

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("row").filter({ hasText: "https-18444" }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await dialog.getByRole("button", { name: "Upload new certificate" }).click();

  const upload = page.getByRole("dialog", { name: "Upload CA certificate" });
  const caName = unique("corp-root");
  await upload.getByLabel("Name").fill(caName);
  await upload.getByLabel("Certificate file").setInputFiles(bundle);
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload).toBeHidden();

  // Back in the Edit dialog, with the new CA picked.
  await expect(dialog.getByLabel("Client CA certificate").locator("option:checked")).toHaveText(caName);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  expect((await getEndpoint(url, { caFile: rootCa })).kind).toBe("refused");
  expect(await getEndpoint(url, { caFile: rootCa, certFile: certs("client-other.pem"), keyFile: certs("client-other.key") })).toMatchObject({
    kind: "response",
    status: 403,
    body: { reason: "untrusted_issuer" },
  });
  const ok = await getEndpoint(url, { caFile: rootCa, certFile: certs("client.pem"), keyFile: certs("client.key") });
  expect(ok.kind === "response" && ok.status).toBe(200);
  if (ok.kind === "response") expect(ok.body.clientCertificate).toMatchObject({ subject: expect.stringContaining("CN=client-one") });
});

test("HTTP listeners show no Client CA controls", async ({ page }) => {
  await page.goto("/load-balancers");
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("row").filter({ hasText: `http-${E2E.demoHttpPort}` }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await expect(dialog.getByText("Advanced Settings")).toBeVisible();
  await expect(dialog.getByRole("checkbox", { name: "Enable Client CA" })).toHaveCount(0);
  await expect(dialog.getByLabel("Client CA certificate")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});

test("a load balancer and an HTTPS listener created in the console serve at once", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const name = unique("web");
  await page.goto("/load-balancers");
  await page.getByRole("button", { name: "Create load balancer" }).click();
  const create = page.getByRole("dialog", { name: "Create load balancer" });
  await create.getByLabel("Name").fill("-bad name");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText("Use 1 to 63 letters").first()).toBeVisible();
  await create.getByLabel("Name").fill(name);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  await page.getByRole("button", { name: "Create listener" }).click();
  const dialog = page.getByRole("dialog", { name: "Create listener" });
  await dialog.getByLabel("Name").fill("https-18445");
  await dialog.getByLabel("Port").fill("18445");
  await dialog.getByLabel("Server certificate").selectOption({ label: server.name });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: "https-18445" });
  await expect(row.getByText("Serving")).toBeVisible();

  const answer = await getEndpoint("https://127.0.0.1:18445/", { caFile: certs("root-ca.pem") });
  expect(answer.kind === "response" && answer.body.clientCertificate).toBeNull();

  // A second listener on the same port is refused beside the Port field.
  await page.getByRole("button", { name: "Create listener" }).click();
  await dialog.getByLabel("Name").fill("again");
  await dialog.getByLabel("Port").fill("18445");
  await dialog.getByLabel("Server certificate").selectOption({ label: server.name });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("Port 18445 is already used")).toBeVisible();
});
