// What an operator and their clients are told when something is refused or not running:
// a client refused by a listener gets a 403 naming the reason (through a real TLS client and curl),
// a port another program holds is refused in the Create listener dialog with that program named,
// and a console whose stand-alone data plane is not running says so on every page.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, unique } from "./support/fixtures";
import { signIn } from "./support/auth";
import { E2E } from "./support/env";
import { getEndpoint } from "./support/tls-client";
import { freePort } from "../test/ports";

const ROOT = path.resolve(__dirname, "..");

test("a client with a certificate from another CA is told why it is refused: 403 problem body naming the reason", async ({ api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const lb = await api.createLoadBalancer(unique("refusals"));
  const port = await freePort();
  await api.createListener(lb.id, { name: unique("mtls"), protocol: "HTTPS", port, certificateId: server.id, clientAuth: { enabled: true, caCertificateId: ca.id } });
  const url = `https://127.0.0.1:${port}/`;

  // A real TLS client (what `curl --cert --key --cacert` does).
  const refused = await getEndpoint(url, { caFile: certs("root-ca.pem"), certFile: certs("client-other.pem"), keyFile: certs("client-other.key") });
  expect(refused).toEqual({
    kind: "response",
    status: 403,
    body: {
      type: "urn:certgate:problem:client-certificate-refused",
      title: "Client certificate refused",
      status: 403,
      reason: "untrusted_issuer",
      detail: expect.stringContaining("not issued by a CA this listener trusts (untrusted_issuer)"),
    },
  });

  // curl prints the body, which ends with a newline.
  const curl = await new Promise<string>((resolve) =>
    execFile(
      "curl",
      ["-sS", "--cacert", certs("root-ca.pem"), "--cert", certs("client-expired.pem"), "--key", certs("client-expired.key"), "-w", "status=%{http_code}", url],
      { timeout: 10_000 },
      (_error, stdout, stderr) => resolve(stdout + stderr),
    ),
  );
  expect(curl).toMatch(/^\{"type":"urn:certgate:problem:client-certificate-refused".*"reason":"expired"\}\nstatus=403$/);

  // The refusal is in the connection log with its reason, as before.
  const listeners = (await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json()).listeners as { id: string }[];
  await expect
    .poll(async () => (await (await api.request.get(`/api/v1/listeners/${listeners[0].id}/connections`)).json()).items.map((c: { reason: string }) => c.reason))
    .toEqual(["expired", "untrusted_issuer"]);
});

test("a port another program holds is refused in the Create listener dialog, naming the port and the program", async ({ page, api }) => {
  const lb = await api.createLoadBalancer(unique("ports"));
  // "Another program": this test process listens on the port.
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const port = (holder.address() as net.AddressInfo).port;
  const command = fs.readFileSync("/proc/self/comm", "utf8").trim();
  try {
    await page.goto(`/load-balancers/${lb.id}`);
    await page.getByRole("button", { name: "Create listener" }).click();
    const dialog = page.getByRole("dialog", { name: "Create listener" });
    await dialog.getByLabel("Name").fill("web");
    await dialog.getByLabel("Protocol").selectOption("HTTP");
    await dialog.getByLabel("Port").fill(String(port));
    await dialog.getByRole("button", { name: "Create" }).click();
    // Beside the Port field.
    await expect(dialog.locator("#listener-port-error")).toHaveText(
      `Port ${port} on 127.0.0.1 is already in use by another program ("${command}", pid ${process.pid}); stop that program or pick another port.`,
    );
    await expect(dialog.getByLabel("Port")).toHaveAttribute("aria-invalid", "true");
    // Nothing was saved: no listener row, no error row.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json()).listeners).toEqual([]);
  } finally {
    holder.close();
  }
});

test.describe("a console whose stand-alone data plane is not running", () => {
  let consoleProcess: ChildProcess | undefined;
  let dataplane: ChildProcess | undefined;
  let dataDir: string;
  test.afterAll(() => {
    dataplane?.kill("SIGKILL");
    consoleProcess?.kill("SIGKILL");
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("says so on every page and shows its load balancers as not served, until npm run dataplane runs", async ({ page, playwright }) => {
    test.setTimeout(120_000);
    // A second console, in split mode (CERTGATE_EMBEDDED_DATAPLANE=0), on its own data directory.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-e2e-split-"));
    const port = await freePort();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", CERTGATE_SECRET: "e2e-split", CERTGATE_DEMO: "0", CERTGATE_EMBEDDED_DATAPLANE: "0", DATAPLANE_HOST: "127.0.0.1", CERTGATE_ADMIN_PASSWORD: E2E.adminPassword, CERTGATE_API_MTLS_PORT: "0" };
    // As `CERTGATE_EMBEDDED_DATAPLANE=0 npm start` runs it (the build's console server).
    consoleProcess = spawn(process.execPath, [path.join(ROOT, "dist", "console.js")], { cwd: ROOT, env: { ...env, HOST: "127.0.0.1", PORT: String(port) }, stdio: "ignore" });
    const base = `http://127.0.0.1:${port}`;
    const request = await playwright.request.newContext({ baseURL: base });
    await expect.poll(async () => (await request.get("/sign-in").catch(() => null))?.status(), { timeout: 60_000 }).toBe(200);
    // That console's own admin, for the API and for the browser (page.request shares the page's cookies).
    await signIn(request);
    expect((await page.request.post(`${base}/api/v1/session`, { data: { username: "admin", password: E2E.adminPassword } })).status()).toBe(200);

    expect(await (await request.get("/api/v1/dataplane")).json()).toEqual({ running: false, mode: "standalone" });
    const lb = await (await request.post("/api/v1/load-balancers", { data: { name: "split" } })).json();
    const listenerPort = await freePort();
    const created = await request.post(`/api/v1/load-balancers/${lb.id}/listeners`, { data: { name: "plain", protocol: "HTTP", port: listenerPort } });
    expect(created.status()).toBe(201);
    const listener = (await created.json()) as { id: string; endpoint: { state: string } };
    expect(listener.endpoint.state).toBe("stopped");

    await page.goto(`${base}/load-balancers`);
    const banner = page.getByRole("alert").filter({ hasText: "No data plane is running" });
    await expect(banner).toContainText("Start it with npm run dataplane");
    const row = page.getByRole("row").filter({ hasText: "split" });
    await expect(row.getByText("Not served")).toBeVisible();
    await expect(row.getByText("Active")).toHaveCount(0);
    await page.goto(`${base}/certificates`);
    await expect(banner).toBeVisible();
    // Test this listener offers no curl lines for a listener nothing serves, and says why.
    await page.goto(`${base}/listeners/${listener.id}`);
    await expect(banner).toBeVisible();
    const panel = page.getByRole("region", { name: "Test this listener" });
    await expect(panel.getByText("This listener is not serving, so there is nothing to try yet.")).toBeVisible();
    await expect(panel.getByText("Its endpoint is stopped: no data plane is serving it right now.")).toBeVisible();
    await expect(panel.getByText(/^curl /)).toHaveCount(0);

    // Start what the banner says: the banner goes and the load balancer is Active.
    dataplane = spawn(process.execPath, [path.join(ROOT, "dist", "dataplane.js")], { cwd: ROOT, env, stdio: "ignore" });
    // The banner polls on its own: it goes without a reload once the data plane reports in.
    await expect(banner).toBeHidden({ timeout: 30_000 });
    await page.goto(`${base}/load-balancers`);
    await expect(row.getByText("Active")).toBeVisible();
    await expect(banner).toBeHidden();
    const echo = await fetch(`http://127.0.0.1:${listenerPort}/`);
    expect(echo.status).toBe(200);
    // And the panel offers the commands once it serves.
    await page.goto(`${base}/listeners/${listener.id}`);
    await expect(panel.getByText(`curl http://127.0.0.1:${listenerPort}/`)).toBeVisible();
    await request.dispose();
  });
});
