// The console as an operator uses it: every page and dialog accessible, the flow by keyboard
// alone, small screens, the listener's test panel, versions, limits and the audit trail.
import type { Locator } from "@playwright/test";
import { expect, test, unique } from "./support/fixtures";
import { expectAccessible } from "./support/axe";
import { makeClientCertificate } from "./support/openssl";
import { getEndpoint } from "./support/tls-client";

test("every page and dialog passes an axe scan with no serious or critical violations", async ({ page, api }) => {
  // A dozen full axe scans: 2-5 s each on a busy 2-core machine, more than the default budget.
  test.setTimeout(180_000);
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("axe"));
  const listener = await api.createListener(lb.id, { name: "https-18447", protocol: "HTTPS", port: 18447, certificateId: server.id });

  await page.goto("/load-balancers");
  await expectAccessible(page, "load balancer list");
  await page.getByRole("button", { name: "Create load balancer" }).click();
  await expectAccessible(page, "Create load balancer dialog");
  await page.keyboard.press("Escape");

  await page.goto(`/load-balancers/${lb.id}`);
  await expect(page.getByRole("row").filter({ hasText: "https-18447" })).toBeVisible();
  await expectAccessible(page, "load balancer page");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expectAccessible(page, "Create listener dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("row").filter({ hasText: "https-18447" }).getByRole("button", { name: "Edit" }).click();
  await page.getByRole("dialog", { name: "Edit listener" }).getByRole("button", { name: "Advanced Settings" }).click();
  await page.getByRole("dialog", { name: "Edit listener" }).getByRole("checkbox", { name: "Enable Client CA" }).check();
  await expectAccessible(page, "Edit listener dialog");
  await page.getByRole("button", { name: "Upload new certificate" }).click();
  await expectAccessible(page, "Upload CA certificate dialog");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Delete load balancer" }).click();
  await expectAccessible(page, "Delete load balancer dialog");
  await page.keyboard.press("Escape");

  await page.goto(`/listeners/${listener.id}`);
  await expect(page.getByRole("heading", { name: "Test this listener" })).toBeVisible();
  await expectAccessible(page, "listener page");

  await page.goto("/certificates");
  await expect(page.getByRole("link", { name: server.name })).toBeVisible();
  await expectAccessible(page, "certificate list");
  await page.getByRole("button", { name: "Upload certificate" }).click();
  await expectAccessible(page, "Upload certificate dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: server.name }).click();
  await expect(page.getByRole("heading", { name: server.name })).toBeVisible();
  await expectAccessible(page, "certificate details");

  await page.goto("/activity");
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await expectAccessible(page, "activity");

  for (const scheme of ["dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`/load-balancers/${lb.id}`);
    await expect(page.getByRole("row").filter({ hasText: "https-18447" })).toBeVisible();
    await expectAccessible(page, `load balancer page (${scheme})`);
  }
});

test("Client CA can be enabled by keyboard alone, and focus returns to the Edit button", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("other-ca.pem"));
  const lb = await api.createLoadBalancer(unique("kbd"));
  await api.createListener(lb.id, { name: "https-18448", protocol: "HTTPS", port: 18448, certificateId: server.id });

  await page.goto(`/load-balancers/${lb.id}`);
  const edit = page.getByRole("row").filter({ hasText: "https-18448" }).getByRole("button", { name: "Edit" });
  await edit.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await expect(dialog).toBeVisible();

  // Tab until Advanced Settings has focus and open it; focus never leaves the dialog.
  const tabTo = async (target: Locator, most: number) => {
    for (let i = 0; i < most && !(await target.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await expect(target).toBeFocused();
  };
  const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
  await tabTo(advanced, 10);
  await page.keyboard.press("Enter");
  await expect(advanced).toHaveAttribute("aria-expanded", "true");
  const checkbox = dialog.getByRole("checkbox", { name: "Enable Client CA" });
  await tabTo(checkbox, 2);
  await page.keyboard.press("Space");
  await expect(checkbox).toBeChecked();
  const picker = dialog.getByLabel("Client CA certificate");
  // Past the CA filter box, shown once there are many CAs.
  await tabTo(picker, 2);
  await picker.selectOption({ label: ca.name }); // a native select: the keyboard's own picker
  for (let i = 0; i < 15 && !(await dialog.getByRole("button", { name: "Save" }).evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(edit).toBeFocused();
  await expect(page.getByRole("row").filter({ hasText: "https-18448" }).getByRole("cell", { name: ca.name, exact: true })).toBeVisible();
});

test("the Test this listener panel shows curl commands and the latest connections with their reasons", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("test-panel"));
  const listener = await api.createListener(lb.id, { name: "https-18449", protocol: "HTTPS", port: 18449, certificateId: server.id });
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const patched = await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { enabled: true, caCertificateId: ca.id } } });
  expect(patched.status()).toBe(200);

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("link", { name: "https-18449" }).click();
  const panel = page.getByRole("region", { name: "Test this listener" });
  await expect(panel.getByText("curl --cacert server-ca.pem --cert client.pem --key client.key https://127.0.0.1:18449/")).toBeVisible();
  await expect(panel.getByText("No connections yet")).toBeVisible();

  expect((await getEndpoint("https://127.0.0.1:18449/", { caFile: certs("root-ca.pem") })).kind).toBe("refused");
  const ok = await getEndpoint("https://127.0.0.1:18449/", { caFile: certs("root-ca.pem"), certFile: certs("client.pem"), keyFile: certs("client.key") });
  expect(ok.kind).toBe("response");

  // No reload: the panel refreshes on its own.
  const rows = panel.getByRole("row");
  await expect(rows.filter({ hasText: "No client certificate" })).toBeVisible();
  await expect(rows.filter({ hasText: "Verified" }).filter({ hasText: "CN=client-one" })).toBeVisible();
});

test("a stale Save gets a conflict message that offers to reload", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("conflict"));
  const listener = await api.createListener(lb.id, { name: "https-18450", protocol: "HTTPS", port: 18450, certificateId: server.id });
  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("row").filter({ hasText: "https-18450" }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByLabel("Name").fill("mine");

  // Someone else saves first.
  expect((await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { name: "theirs" } })).status()).toBe(200);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Someone else saved this listener first")).toBeVisible();
  await dialog.getByRole("button", { name: "Reload listener" }).click();
  await expect(dialog.getByLabel("Name")).toHaveValue("theirs");
  await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
});

test("trusted client certificates stop at five with a clear message", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("pins"));
  await api.createListener(lb.id, { name: "https-18451", protocol: "HTTPS", port: 18451, certificateId: server.id });
  const pinned: string[] = [];
  for (let i = 0; i < 6; i++) {
    const name = unique(`pin${i}`);
    await api.uploadCertificate({ name, kind: "client", certFile: makeClientCertificate(name) });
    pinned.push(name);
  }

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("row").filter({ hasText: "https-18451" }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  const group = dialog.getByRole("group", { name: "Trusted client certificates" });
  for (const name of pinned.slice(0, 5)) await group.getByRole("checkbox", { name: new RegExp(name) }).check();
  await expect(group.getByText(/^5 of 5 chosen · \d+ client certificates$/)).toBeVisible();
  await expect(group.getByText("You can trust at most 5 client certificates")).toBeVisible();
  await expect(group.getByRole("checkbox", { name: new RegExp(pinned[5]) })).toBeDisabled();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  const saved = await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json();
  expect(saved.listeners[0].clientAuth).toMatchObject({ enabled: true, caCertificateId: null });
  expect(saved.listeners[0].clientAuth.trustedCertificateIds).toHaveLength(5);
});

test("the audit log shows who changed Client CA, before and after, filtered by target", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("audit"));
  const listener = await api.createListener(lb.id, { name: "https-18452", protocol: "HTTPS", port: 18452, certificateId: server.id });
  const ca = await api.ensureCertificate("ca", certs("other-ca.pem"));
  await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { enabled: true, caCertificateId: ca.id } } });

  await page.goto(`/listeners/${listener.id}`);
  await page.getByRole("link", { name: "Activity for this listener" }).click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(3); // header, enabled, created
  const enabled = rows.filter({ hasText: "Client CA enabled" });
  await expect(enabled).toContainText("Client CA: disabled → enabled");
  await expect(enabled).toContainText(`Client CA certificate: none → ${ca.name}`);
  await expect(enabled).toContainText("admin");
});

test("deleting a load balancer asks for its name and stops its endpoints", async ({ page, api }) => {
  const name = unique("doomed");
  const lb = await api.createLoadBalancer(name);
  await api.createListener(lb.id, { name: "http-18453", protocol: "HTTP", port: 18453 });
  const before = await fetch("http://127.0.0.1:18453/");
  expect(before.status).toBe(200);

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("button", { name: "Delete load balancer" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete load balancer" });
  const confirm = dialog.getByRole("button", { name: "Delete load balancer" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await confirm.click();
  await expect(page.getByRole("heading", { name: "Load Balancers" })).toBeVisible();
  await expect(page.getByRole("link", { name })).toHaveCount(0);
  await expect(fetch("http://127.0.0.1:18453/")).rejects.toThrow();
});

test("works at 375 px wide without sideways scrolling of the page", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  for (const path of ["/load-balancers", "/certificates", "/activity"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
  }
  await page.getByRole("link", { name: "Load Balancers" }).click();
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await expect(page.getByRole("button", { name: "Edit" }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a banner warns on every page when a certificate in use expires within 30 days", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const name = unique("soon");
  const client = await api.uploadCertificate({ name, kind: "client", certFile: makeClientCertificate(name, 10) });
  const lb = await api.createLoadBalancer(unique("expiry"));
  const listener = await api.createListener(lb.id, { name: "https-18454", protocol: "HTTPS", port: 18454, certificateId: server.id });

  await page.goto("/certificates");
  await expect(page.getByRole("status").filter({ hasText: name })).toHaveCount(0); // not in use yet

  const pinned = await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { enabled: true, trustedCertificateIds: [client.id] } } });
  expect(pinned.status()).toBe(200);
  for (const path of ["/load-balancers", "/activity"]) {
    await page.goto(path);
    const banner = page.getByRole("status").filter({ hasText: name });
    await expect(banner).toContainText(/expires in (9|10) days and is used by https-18454/);
  }
});
