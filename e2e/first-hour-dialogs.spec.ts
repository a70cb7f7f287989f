// What a newcomer hit in the listener dialogs and forms in the first hour (issue 8), each clicked
// through in a real Chromium against the production build, and checked where it matters with a
// real client: a Client CA kept while disabled is released and deleted, the port changes in Edit,
// a taken port names its holder, Client CA is set on create, the pickers scale, Advanced Settings
// expands, the file picker names its file, a dialog over a dialog dims it, no message twice, and
// "Test this listener" prints the files the user has.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import Database from "better-sqlite3";
import { freePort } from "../test/ports";
import { E2E } from "./support/env";
import { expect, test, unique } from "./support/fixtures";
import { makeCaCertificate, makeClientCertificate } from "./support/openssl";
import { getEndpoint } from "./support/tls-client";

const run = promisify(execFile);

async function openEdit(page: Page, loadBalancerId: string, listenerName: string) {
  await page.goto(`/load-balancers/${loadBalancerId}`);
  await page.getByRole("row").filter({ hasText: listenerName }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await expect(dialog).toBeVisible();
  return dialog;
}

test("a CA kept by a disabled Client CA is released in Edit (None), and can then be deleted", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const ca = await api.uploadCertificate({ name: unique("kept-ca"), kind: "ca", certFile: makeCaCertificate(unique("Kept CA")).pem });
  const lb = await api.createLoadBalancer(unique("release"));
  const listener = await api.createListener(lb.id, { name: "https-release", protocol: "HTTPS", port: await freePort(), certificateId: server.id });
  for (const clientAuth of [{ enabled: true, caCertificateId: ca.id }, { enabled: false }]) {
    expect((await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth } })).status()).toBe(200);
  }
  // In use while only kept: that is what the operator could not undo.
  expect((await api.request.delete(`/api/v1/certificates/${ca.id}`)).status()).toBe(409);

  const dialog = await openEdit(page, lb.id, "https-release");
  const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
  await expect(advanced).toHaveAttribute("aria-expanded", "false"); // Client CA is off
  await advanced.click();
  await expect(dialog.getByRole("checkbox", { name: "Enable Client CA" })).not.toBeChecked();
  const picker = dialog.getByLabel("Client CA certificate");
  await expect(picker.locator("option:checked")).toHaveText(ca.name);
  await expect(dialog.getByText(`${ca.name} is not used; it is kept`)).toBeVisible();
  await picker.selectOption({ label: "None" });
  await expect(dialog.getByText("Client CA is off and no CA is kept.")).toBeVisible();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  const saved = await (await api.request.get(`/api/v1/listeners/${listener.id}`)).json();
  expect(saved.clientAuth).toEqual({ enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [] });
  const certificate = await (await api.request.get(`/api/v1/certificates/${ca.id}`)).json();
  expect(certificate.usedBy).toEqual([]);
  expect((await api.request.delete(`/api/v1/certificates/${ca.id}`)).status()).toBe(204);
});

test("the API releases a CA kept by a disabled listener too: PATCH clientAuth { caCertificateId: null }", async ({ api }) => {
  const server = await api.serverCertificate();
  const ca = await api.uploadCertificate({ name: unique("api-kept-ca"), kind: "ca", certFile: makeCaCertificate(unique("Api Kept CA")).pem });
  const lb = await api.createLoadBalancer(unique("api-release"));
  const listener = await api.createListener(lb.id, {
    name: "https-api-release",
    protocol: "HTTPS",
    port: await freePort(),
    certificateId: server.id,
    clientAuth: { enabled: false, caCertificateId: ca.id },
  });
  const released = await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { caCertificateId: null } } });
  expect(released.status(), await released.text()).toBe(200);
  expect((await released.json()).clientAuth).toEqual({ enabled: false, mode: "required", caCertificateId: null, trustedCertificateIds: [] });
  expect((await api.request.delete(`/api/v1/certificates/${ca.id}`)).status()).toBe(204);
});

test("the port is changed in Edit, and the listener answers on the new port only", async ({ page, api }) => {
  const lb = await api.createLoadBalancer(unique("move"));
  const oldPort = await freePort();
  await api.createListener(lb.id, { name: "http-moving", protocol: "HTTP", port: oldPort });
  expect((await fetch(`http://127.0.0.1:${oldPort}/`)).status).toBe(200);
  const newPort = await freePort();

  const dialog = await openEdit(page, lb.id, "http-moving");
  const port = dialog.getByLabel("Port");
  await expect(port).toHaveValue(String(oldPort));
  await port.fill("70000");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Port must be a whole number from 1 to 65535.")).toHaveCount(1);
  await port.fill(String(newPort));
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: "http-moving" })).toContainText(String(newPort));

  const answer = await fetch(`http://127.0.0.1:${newPort}/`);
  expect(answer.status).toBe(200);
  expect((await answer.json()).listener).toMatchObject({ name: "http-moving" });
  // A new connection to the old port is refused (a kept-alive one may live on: open connections are not cut).
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(oldPort, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
  expect(refused).toBe(true);
});

test("a port used by another listener is refused beside the Port field, naming that listener and its load balancer", async ({ page, api }) => {
  const holderLb = await api.createLoadBalancer(unique("holder"));
  const takenPort = await freePort();
  await api.createListener(holderLb.id, { name: "http-holder", protocol: "HTTP", port: takenPort });
  const lb = await api.createLoadBalancer(unique("newcomer"));
  await api.createListener(lb.id, { name: "http-newcomer", protocol: "HTTP", port: await freePort() });
  const message = `Port ${takenPort} is already used by listener "http-holder" on load balancer "${holderLb.name}"; choose another port.`;

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("button", { name: "Create listener" }).click();
  const create = page.getByRole("dialog", { name: "Create listener" });
  await create.getByLabel("Name").fill("http-second");
  await create.getByLabel("Protocol").selectOption("HTTP");
  await create.getByLabel("Port").fill(String(takenPort));
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText(message)).toHaveCount(1);
  await expect(create.getByLabel("Port")).toHaveAttribute("aria-invalid", "true");
  await create.getByRole("button", { name: "Cancel" }).click();

  const edit = await openEdit(page, lb.id, "http-newcomer");
  await edit.getByLabel("Port").fill(String(takenPort));
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText(message)).toHaveCount(1);
  await expect(edit.getByLabel("Port")).toHaveAttribute("aria-invalid", "true");
});

test("an HTTPS listener is created with Client CA on, and the endpoint enforces it at once", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const lb = await api.createLoadBalancer(unique("mtls-create"));
  const port = await freePort();

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("button", { name: "Create listener" }).click();
  const dialog = page.getByRole("dialog", { name: "Create listener" });
  await dialog.getByLabel("Name").fill("https-mtls");
  await dialog.getByLabel("Port").fill(String(port));
  await dialog.getByLabel("Server certificate").selectOption({ label: server.name });
  const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
  await expect(advanced).toHaveAttribute("aria-expanded", "false");
  await advanced.click();
  await expect(advanced).toHaveAttribute("aria-expanded", "true");
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  // Enabled without a CA or a pinned certificate is caught in the form, beside the picker.
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("Pick a CA certificate, or at least one trusted client certificate")).toHaveCount(1);
  await dialog.getByLabel("Client CA certificate").selectOption({ label: ca.name });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: "https-mtls" }).getByText("Serving")).toBeVisible();

  const url = `https://127.0.0.1:${port}/`;
  expect((await getEndpoint(url, { caFile: certs("root-ca.pem") })).kind).toBe("refused");
  const ok = await getEndpoint(url, { caFile: certs("root-ca.pem"), certFile: certs("client.pem"), keyFile: certs("client.key") });
  expect(ok.kind === "response" && ok.status).toBe(200);
});

test("Advanced Settings opens by itself when Client CA is on, and the CA helper text follows the choice", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("other-ca.pem"));
  const lb = await api.createLoadBalancer(unique("hints"));
  const client = await api.uploadCertificate({ name: unique("pinned"), kind: "client", certFile: makeClientCertificate(unique("pinned")) });
  await api.createListener(lb.id, {
    name: "https-hints",
    protocol: "HTTPS",
    port: await freePort(),
    certificateId: server.id,
    clientAuth: { enabled: true, caCertificateId: ca.id, trustedCertificateIds: [client.id] },
  });

  const dialog = await openEdit(page, lb.id, "https-hints");
  const advanced = dialog.getByRole("button", { name: "Advanced Settings" });
  await expect(advanced).toHaveAttribute("aria-expanded", "true");
  const picker = dialog.getByLabel("Client CA certificate");
  await expect(picker).toBeVisible();
  await expect(dialog.getByText(`Client certificates must chain to ${ca.name}.`)).toBeVisible();

  await picker.selectOption({ label: "None" });
  await expect(dialog.getByText("None: no CA is used; only the trusted client certificates below are let in.")).toBeVisible();
  await expect(dialog.getByText(/must chain to/)).toHaveCount(0);
  // The picker's description is the hint for its choice.
  await expect(picker).toHaveAccessibleDescription(/None: no CA is used/);

  // Collapsing hides the settings but keeps the choice.
  await advanced.click();
  await expect(advanced).toHaveAttribute("aria-expanded", "false");
  await expect(picker).toBeHidden();
  await advanced.click();
  await expect(picker.locator("option:checked")).toHaveText("None");
});

test("Trusted client certificates shows how many are chosen and exist, and the filter finds one among many", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("other-ca.pem"));
  const issued = await api.ensureCertificate("client", certs("client-other.pem")); // issued by other-ca
  const batch = unique("bulk");
  const uploads = [];
  for (let i = 0; i < 30; i++) {
    const name = `${batch}-${String(i).padStart(2, "0")}`;
    uploads.push(api.uploadCertificate({ name, kind: "client", certFile: makeClientCertificate(name) }));
  }
  await Promise.all(uploads);
  const total = (await (await api.request.get("/api/v1/certificates?kind=client&limit=500")).json()).items.length;
  expect(total).toBeGreaterThanOrEqual(31);
  const lb = await api.createLoadBalancer(unique("many"));
  await api.createListener(lb.id, { name: "https-many", protocol: "HTTPS", port: await freePort(), certificateId: server.id });

  const dialog = await openEdit(page, lb.id, "https-many");
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  const group = dialog.getByRole("group", { name: "Trusted client certificates" });
  await expect(group.getByText(`0 of 5 chosen · ${total} client certificates`)).toBeVisible();

  // With the CA chosen, the client certificate it issued comes first, marked as such.
  await dialog.getByLabel("Client CA certificate").selectOption({ label: ca.name });
  const first = group.getByRole("listitem").first();
  await expect(first).toContainText(issued.name);
  await expect(first).toContainText(`issued by ${ca.name}`);

  // The filter finds one certificate among the many.
  const wanted = `${batch}-17`;
  await group.getByRole("searchbox", { name: "Filter client certificates" }).fill(wanted);
  await expect(group.getByRole("checkbox")).toHaveCount(1);
  await group.getByRole("checkbox", { name: new RegExp(wanted) }).check();
  await expect(group.getByText(`1 of 5 chosen · ${total} client certificates`)).toBeVisible();
  // A filter that finds nothing says so, and never hides what is chosen.
  await group.getByRole("searchbox", { name: "Filter client certificates" }).fill("no-such-certificate");
  await expect(group.getByText("No client certificate matches")).toBeVisible();
  await expect(group.getByRole("checkbox", { name: new RegExp(wanted) })).toBeChecked();

  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const saved = (await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json()).listeners[0];
  expect(saved.clientAuth.caCertificateId).toBe(ca.id);
  expect(saved.clientAuth.trustedCertificateIds).toHaveLength(1);
});

test("the CA picker has a filter that finds one CA among many", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const batch = unique("many-ca");
  for (let i = 0; i < 10; i++) {
    await api.uploadCertificate({ name: `${batch}-${i}`, kind: "ca", certFile: makeCaCertificate(`${batch} ${i}`).pem });
  }
  const lb = await api.createLoadBalancer(unique("ca-filter"));
  await api.createListener(lb.id, { name: "https-ca-filter", protocol: "HTTPS", port: await freePort(), certificateId: server.id });

  const dialog = await openEdit(page, lb.id, "https-ca-filter");
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await dialog.getByRole("searchbox", { name: "Filter CA certificates" }).fill(`${batch}-7`);
  const picker = dialog.getByLabel("Client CA certificate");
  await expect(picker.locator("option")).toHaveText(["None", `${batch}-7`]);
  await picker.selectOption({ label: `${batch}-7` });
  await expect(dialog.getByText(`Client certificates must chain to ${batch}-7.`)).toBeVisible();
});

test("the file picker shows the chosen file's name, and the input is still labelled Certificate file", async ({ page }) => {
  const ca = makeCaCertificate(unique("Picked CA"));
  await page.goto("/certificates");
  await page.getByRole("button", { name: "Upload certificate" }).click();
  const dialog = page.getByRole("dialog", { name: "Upload certificate" });
  await expect(dialog.getByText("No file chosen; or drop one here")).toBeVisible();
  await dialog.getByLabel("Certificate file").setInputFiles(ca.der);
  await expect(dialog.getByText("ca.der", { exact: true })).toBeVisible();
  await expect(dialog.getByText(`(${fs.statSync(ca.der).size} bytes)`)).toBeVisible();
  await expect(dialog.getByText("No file chosen")).toHaveCount(0);
});

test("a dialog opened over another dims it: Upload new certificate over Edit listener", async ({ page, api }) => {
  const server = await api.serverCertificate();
  const lb = await api.createLoadBalancer(unique("stacked"));
  await api.createListener(lb.id, { name: "https-stacked", protocol: "HTTPS", port: await freePort(), certificateId: server.id });

  const edit = await openEdit(page, lb.id, "https-stacked");
  await edit.getByRole("button", { name: "Advanced Settings" }).click();
  await edit.getByRole("checkbox", { name: "Enable Client CA" }).check();
  // Measured now: once the second dialog opens, the first leaves the accessibility tree.
  const editBox = (await edit.boundingBox())!;
  await edit.getByRole("button", { name: "Upload new certificate" }).click();
  const upload = page.getByRole("dialog", { name: "Upload CA certificate" });
  await expect(upload).toBeVisible();
  await expect(edit).toHaveCount(0);

  // A point on the Edit dialog that the (narrower) Upload dialog does not cover.
  const uploadBox = (await upload.boundingBox())!;
  expect(editBox.x + 8).toBeLessThan(uploadBox.x);
  const topmost = await page.evaluate(
    ([x, y]) => {
      const element = document.elementFromPoint(x, y);
      const overlays = [...document.querySelectorAll("[data-dialog-overlay]")];
      return { overlays: overlays.length, isUploadOverlay: element === overlays.at(-1) };
    },
    [editBox.x + 8, editBox.y + editBox.height / 2],
  );
  expect(topmost).toEqual({ overlays: 2, isUploadOverlay: true });

  // Submitting the upload form leaves the Edit form behind it alone: Edit would refuse to save
  // Client CA without a CA, and say so.
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByText(/Choose a certificate file/)).toHaveCount(1);
  const editPanel = page.locator('[role="dialog"]', { hasText: "Edit listener" });
  await expect(editPanel).toHaveCount(1);
  await expect(editPanel.getByText("Pick a CA certificate, or at least one trusted client certificate")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(upload).toBeHidden();
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Pick a CA certificate, or at least one trusted client certificate")).toHaveCount(1);
});

test("a field error replaces its helper text instead of repeating it", async ({ page }) => {
  await page.goto("/load-balancers");
  await page.getByRole("button", { name: "Create load balancer" }).click();
  const create = page.getByRole("dialog", { name: "Create load balancer" });
  await create.getByLabel("Name").fill("-bad name");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText(/Use 1 to 63 letters/)).toHaveCount(1);
  await expect(create.getByLabel("Name")).toHaveAccessibleDescription(/Use 1 to 63 letters/);
  await page.keyboard.press("Escape");

  await page.goto("/certificates");
  await page.getByRole("button", { name: "Upload certificate" }).click();
  const upload = page.getByRole("dialog", { name: "Upload certificate" });
  await expect(upload.getByText("PEM (.pem .crt .cer) or DER")).toBeVisible();
  await upload.getByLabel("Name").fill(unique("nothing"));
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByText(/Choose a certificate file/)).toHaveCount(1);
  await expect(upload.getByText("PEM (.pem .crt .cer) or DER")).toHaveCount(0);
});

test("Test this listener names the demo's real files, and its curl lines run as printed", async ({ page }) => {
  // As the console prints them: relative to its working directory (the repository) when inside it.
  const absoluteDemoDir = path.join(E2E.dataDir, "demo");
  const fromRoot = path.relative(path.resolve(__dirname, ".."), absoluteDemoDir);
  const demoDir = fromRoot.startsWith("..") ? absoluteDemoDir : fromRoot;
  await page.goto("/load-balancers");
  await page.getByRole("link", { name: "demo", exact: true }).click();
  await page.getByRole("link", { name: `https-${E2E.demoHttpsPort}` }).click();
  const panel = page.getByRole("region", { name: "Test this listener" });
  const url = `https://127.0.0.1:${E2E.demoHttpsPort}/`;
  const withCert = `curl --cacert ${demoDir}/ca.crt --cert ${demoDir}/client.crt --key ${demoDir}/client.key ${url}`;
  const withoutCert = `curl --cacert ${demoDir}/ca.crt ${url}`;
  await expect(panel.getByText(withCert, { exact: true })).toBeVisible();
  await expect(panel.getByText(withoutCert, { exact: true })).toBeVisible();
  await expect(panel.getByText("server-ca.pem")).toHaveCount(0);
  for (const file of ["ca.crt", "client.crt", "client.key"]) expect(fs.existsSync(path.join(demoDir, file))).toBe(true);

  // Run the printed line itself: the files exist and the listener answers.
  const [command, ...args] = withCert.split(" ");
  const { stdout } = await run(command, ["--silent", "--show-error", ...args]);
  expect(JSON.parse(stdout).listener).toMatchObject({ name: `https-${E2E.demoHttpsPort}` });
});

test("Test this listener offers no curl lines for a listener that is not serving, and says why", async ({ page, api }) => {
  // A port is refused when another program holds it at save time (422), so the error comes the way it
  // does in real life: the data plane restarts (here: killed) and another program takes the port first.
  const lb = await api.createLoadBalancer(unique("broken"));
  const port = await freePort();
  const listener = await api.createListener(lb.id, { name: "http-broken", protocol: "HTTP", port });
  process.kill(dataplanePid(), "SIGKILL");
  const blocker = net.createServer();
  await expect
    .poll(() => new Promise<boolean>((resolve) => blocker.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true))), { timeout: 5_000 })
    .toBe(true);
  try {
    await expect.poll(async () => (await (await api.request.get(`/api/v1/listeners/${listener.id}`)).json()).endpoint.state, { timeout: 20_000 }).toBe("error");
    const broken = await (await api.request.get(`/api/v1/listeners/${listener.id}`)).json();
    expect(broken.endpoint.error).toMatch(new RegExp(`Port ${port} .*in use`));

    await page.goto(`/listeners/${listener.id}`);
    const panel = page.getByRole("region", { name: "Test this listener" });
    await expect(panel.getByText("This listener is not serving, so there is nothing to try yet.")).toBeVisible();
    await expect(panel.getByText(broken.endpoint.error)).toBeVisible();
    await expect(panel.getByText(/^curl /)).toHaveCount(0);
    await expect(panel.getByRole("button", { name: /^Copy/ })).toHaveCount(0);
  } finally {
    blocker.close();
  }
});

/** The console's data plane process, as it registers itself in the store (the e2e server's SQLite file). */
function dataplanePid(): number {
  const db = new Database(path.join(E2E.dataDir, "certgate.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT pid FROM dataplane_nodes WHERE stopped_at IS NULL ORDER BY last_seen_at DESC LIMIT 1").get() as { pid: number };
    return row.pid;
  } finally {
    db.close();
  }
}
