// Verify modes (issue 11): an operator switches a listener from Required to Optional in the Edit
// dialog's Advanced Settings, then real TLS clients (node's https and curl) reach it without a
// certificate, with untrusted and expired ones and with a valid one: everyone is let in, and the
// echo's X-Client-Cert-Verify says what the endpoint verified, whatever header the client sent.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { freePort } from "../test/ports";
import { expectAccessible } from "./support/axe";
import { expect, test, unique } from "./support/fixtures";
import { getEndpoint, type EndpointAnswer } from "./support/tls-client";

const run = promisify(execFile);

function verifyHeader(answer: EndpointAnswer): string {
  if (answer.kind !== "response") return `refused (${answer.error})`;
  expect(answer.status).toBe(200);
  return (answer.body.headers as Record<string, string>)["X-Client-Cert-Verify"];
}

async function openEdit(page: Page, loadBalancerId: string, listenerName: string) {
  await page.goto(`/load-balancers/${loadBalancerId}`);
  await page.getByRole("row").filter({ hasText: listenerName }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await expect(dialog).toBeVisible();
  return dialog;
}

test("switching a listener to Optional in Edit lets every client in and passes the verdict on in X-Client-Cert-Verify", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const lb = await api.createLoadBalancer(unique("verify-modes"));
  const port = await freePort();
  const listener = await api.createListener(lb.id, {
    name: "https-verify",
    protocol: "HTTPS",
    port,
    certificateId: server.id,
    clientAuth: { enabled: true, caCertificateId: ca.id },
  });
  const url = `https://127.0.0.1:${port}/`;
  const caFile = certs("root-ca.pem");
  const as = (name: string) => ({ caFile, certFile: certs(`${name}.pem`), keyFile: certs(`${name}.key`) });

  // Required (the default): no certificate, no entry.
  expect((await getEndpoint(url, { caFile })).kind).toBe("refused");

  const dialog = await openEdit(page, lb.id, "https-verify");
  // Client CA is on, so Advanced Settings is open and the mode is offered, each with its sentence.
  await expect(dialog.getByRole("button", { name: "Advanced Settings" })).toHaveAttribute("aria-expanded", "true");
  const modes = dialog.getByRole("group", { name: "Client certificate mode" });
  const required = modes.getByRole("radio", { name: "Required" });
  const optional = modes.getByRole("radio", { name: "Optional" });
  await expect(required).toBeChecked();
  await expect(required).toHaveAccessibleDescription("Required: clients without a valid certificate are refused.");
  await expect(optional).toHaveAccessibleDescription("Optional: every client is let in; the verdict is passed on in X-Client-Cert-Verify.");
  await expectAccessible(page, "the Edit listener dialog with the client certificate mode");
  await optional.check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  const saved = await (await api.request.get(`/api/v1/listeners/${listener.id}`)).json();
  expect(saved.clientAuth).toEqual({ enabled: true, mode: "optional", caCertificateId: ca.id, trustedCertificateIds: [] });

  // In force for the next connection: nobody is refused, the verdict is passed on.
  expect(verifyHeader(await getEndpoint(url, { caFile }))).toBe("NONE");
  expect(verifyHeader(await getEndpoint(url, as("client-other")))).toBe("FAILED:untrusted_issuer");
  expect(verifyHeader(await getEndpoint(url, as("client-expired")))).toBe("FAILED:expired");
  const valid = await getEndpoint(url, as("client"));
  expect(verifyHeader(valid)).toBe("SUCCESS");
  expect(valid.kind === "response" && valid.body.clientCertificate).toMatchObject({ subject: "CN=client-one,O=Test Corp" });

  // curl without a certificate but with forged certificate headers: the echo reports what TLS saw.
  const { stdout } = await run("curl", [
    "-sS",
    "--cacert",
    caFile,
    "-H",
    "X-Client-Cert-Verify: SUCCESS",
    "-H",
    "X-Client-Cert-Subject: CN=admin",
    url,
  ]);
  const echo = JSON.parse(stdout);
  expect(echo.clientCertificate).toBeNull();
  expect(echo.headers).toMatchObject({ "X-Client-Cert-Verify": "NONE", "X-Client-Cert-Subject": "" });

  // The connection log lets them all in, each with the reason its certificate was judged by.
  // (Records reach the store off the handshake path, so they are polled for.)
  const log = async () => {
    const page = await (await api.request.get(`/api/v1/listeners/${listener.id}/connections?limit=5`)).json();
    return page.items.map((entry: { outcome: string; reason: string }) => `${entry.outcome} ${entry.reason}`);
  };
  await expect.poll(log).toEqual([
    "accepted no_certificate",
    "accepted ok",
    "accepted expired",
    "accepted untrusted_issuer",
    "accepted no_certificate",
  ]);

  // The listener page names the mode.
  await page.goto(`/listeners/${listener.id}`);
  await expect(page.getByRole("definition").filter({ hasText: /^Optional$/ })).toBeVisible();
});

test("Create listener offers the mode once Client CA is enabled, and creates an Optional listener", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const lb = await api.createLoadBalancer(unique("verify-create"));
  const port = await freePort();

  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("button", { name: "Create listener" }).click();
  const dialog = page.getByRole("dialog", { name: "Create listener" });
  await dialog.getByLabel("Name").fill("https-optional");
  await dialog.getByLabel("Port").fill(String(port));
  await dialog.getByLabel("Server certificate").selectOption({ label: server.name });
  await dialog.getByRole("button", { name: "Advanced Settings" }).click();
  await expect(dialog.getByRole("group", { name: "Client certificate mode" })).toHaveCount(0);
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).check();
  await dialog.getByLabel("Client CA certificate").selectOption({ label: ca.name });
  await dialog.getByRole("radio", { name: "Optional" }).check();
  await expectAccessible(page, "the Create listener dialog with the client certificate mode");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  const created = (await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json()).listeners[0];
  expect(created.clientAuth).toMatchObject({ enabled: true, mode: "optional", caCertificateId: ca.id });
  expect(verifyHeader(await getEndpoint(`https://127.0.0.1:${port}/`, { caFile: certs("root-ca.pem") }))).toBe("NONE");
});
