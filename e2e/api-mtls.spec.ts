// The API's client-certificate port (CERTGATE_API_MTLS_PORT) end to end, over real TLS from Node and
// curl: a user binds a self-signed certificate made by openssl (the README's way, with an API token)
// and calls the API with it; Activity names the user; a binding removed, or the method turned off,
// refuses the NEXT request on the same kept-alive connection; no certificate, a forged header or a
// bearer token count for nothing there; pages are not served there.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { E2E } from "./support/env";

const caFile = () => path.join(E2E.dataDir, "api-tls", "ca.crt");
const PROBLEM = "application/problem+json; charset=utf-8";

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
  socket: unknown;
  /** Whether this connection resumed an earlier TLS session (read while it is open). */
  resumed: boolean;
}

/** One request to the client-certificate port on `agent` (whose keep-alive socket it reuses). */
function mtls(agent: https.Agent, method: string, pathname: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        servername: "localhost",
        port: E2E.apiMtlsPort,
        method,
        path: pathname,
        agent,
        headers: { ...(payload ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}), ...options.headers },
      },
      (response) => {
        const resumed = (response.socket as TLSSocket).isSessionReused();
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers["content-type"]), body: text ? JSON.parse(text) : {}, socket: response.socket, resumed }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A kept-alive connection (one socket) that presents `certificate`, or none; it trusts only the port's generated CA. */
function connection(certificate?: { certFile: string; keyFile: string }): https.Agent {
  return new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: fs.readFileSync(caFile()),
    ...(certificate ? { cert: fs.readFileSync(certificate.certFile), key: fs.readFileSync(certificate.keyFile) } : {}),
  });
}

/**
 * The README's openssl line: a self-signed client certificate for /CN=<name>. `openssl req -x509` marks
 * it CA:TRUE; a binding takes a self-signed one as the leaf it is (lib/services/user-certificates.ts).
 */
function makeCertificate(name: string): { certFile: string; keyFile: string; fingerprint: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-e2e-mtls-"));
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", `/CN=${name}`, "-addext", "extendedKeyUsage=clientAuth", "-keyout", keyFile, "-out", certFile],
    { stdio: "ignore" },
  );
  const fingerprint = new crypto.X509Certificate(fs.readFileSync(certFile)).fingerprint256.replace(/:/g, "").toLowerCase();
  return { certFile, keyFile, fingerprint };
}


async function signedIn(username: string, password: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: E2E.baseURL });
  const response = await context.post("/api/v1/session", { data: { username, password } });
  expect(response.status(), await response.text()).toBe(200);
  return context;
}

test.describe("the API's client-certificate port", () => {
  const suffix = crypto.randomBytes(3).toString("hex");
  const username = `ci-bot-${suffix}`;
  const password = `pw-${crypto.randomBytes(12).toString("hex")}`;
  let admin: APIRequestContext;
  let asUser: APIRequestContext;
  let userId: string;
  let token: string;
  let cert: ReturnType<typeof makeCertificate>;

  test.beforeAll(async () => {
    admin = await signedIn("admin", E2E.adminPassword);
    const created = await admin.post("/api/v1/users", { data: { username, password, role: "operator" } });
    expect(created.status(), await created.text()).toBe(201);
    userId = (await created.json()).id;

    // The user makes an API token, and with it binds a certificate and turns the method on (README).
    const session = await signedIn(username, password);
    const made = await session.post("/api/v1/tokens", { data: { name: "bind-ci-bot", expiresInDays: 1 } });
    expect(made.status(), await made.text()).toBe(201);
    token = (await made.json()).token;
    await session.dispose();
    asUser = await playwrightRequest.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });

    cert = makeCertificate(username);
    const bound = await asUser.post(`/api/v1/users/${userId}/client-certificates`, { data: { certificate: fs.readFileSync(cert.certFile, "utf8") } });
    expect(bound.status(), await bound.text()).toBe(201);
    const enabled = await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: true } });
    expect(enabled.status(), await enabled.text()).toBe(200);
  });

  test.afterAll(async () => {
    await asUser?.dispose();
    await admin?.dispose();
  });

  test("a bound certificate is its user, changes made with it name the user, and curl works as the README prints it", async () => {
    const agent = connection(cert);
    try {
      const me = await mtls(agent, "GET", "/api/v1/me");
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect(me.body).toEqual({ id: userId, username, role: "operator", authenticatedBy: "certificate" });

      const lbName = `mtls-lb-${suffix}`;
      const created = await mtls(agent, "POST", "/api/v1/load-balancers", { body: { name: lbName } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.socket).toBe(me.socket);

      // Activity, read on the console's port by the admin, names the user and the certificate.
      const events = await (await admin.get(`/api/v1/audit-events?targetId=${created.body.id}`)).json();
      expect(events.items).toEqual([
        expect.objectContaining({ actor: username, actorVia: expect.stringMatching(/^certificate SHA-256 /), action: "load_balancer.created", target: expect.objectContaining({ name: lbName }) }),
      ]);
    } finally {
      agent.destroy();
    }

    // The README's line, with this port and data directory.
    const out = execFileSync("curl", ["-sS", "--cacert", caFile(), "--cert", cert.certFile, "--key", cert.keyFile, `https://localhost:${E2E.apiMtlsPort}/api/v1/me`], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ id: userId, username, role: "operator", authenticatedBy: "certificate" });
  });

  test("a removed binding, the method turned off, the user disabled: each refuses the next request on the same connection", async () => {
    const agent = connection(cert);
    try {
      const before = await mtls(agent, "GET", "/api/v1/me");
      expect(before.status).toBe(200);

      // Removed on the console's port, with the user's token.
      const list = await (await asUser.get(`/api/v1/users/${userId}/client-certificates`)).json();
      const binding = list.items.find((c: { fingerprintSha256: string }) => c.fingerprintSha256 === cert.fingerprint);
      expect(binding, JSON.stringify(list)).toBeTruthy();
      const removed = await asUser.delete(`/api/v1/users/${userId}/client-certificates/${binding.id}`);
      expect(removed.status(), await removed.text()).toBe(204);

      const unknown = await mtls(agent, "GET", "/api/v1/me");
      expect(unknown.socket).toBe(before.socket);
      expect(unknown.status).toBe(401);
      expect(unknown.contentType).toBe(PROBLEM);
      expect(unknown.body).toMatchObject({ status: 401, reason: "unknown_certificate", detail: expect.stringMatching(/^Unknown certificate: /) });

      // Bound again it works again on that connection; with the method off it is refused again.
      const rebound = await asUser.post(`/api/v1/users/${userId}/client-certificates`, { data: { certificate: fs.readFileSync(cert.certFile, "utf8") } });
      expect(rebound.status(), await rebound.text()).toBe(201);
      expect((await mtls(agent, "GET", "/api/v1/me")).status).toBe(200);
      const off = await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: false } });
      expect(off.status(), await off.text()).toBe(200);

      const disabled = await mtls(agent, "GET", "/api/v1/me");
      expect(disabled.socket).toBe(before.socket);
      expect(disabled.status).toBe(401);
      expect(disabled.contentType).toBe(PROBLEM);
      expect(disabled.body).toMatchObject({ reason: "method_disabled", detail: `Client certificate authentication is disabled for the user ${username}; turn it on in the user's Authentication tab.` });

      // The method on again, and the user disabled by the admin: refused again, on the same connection.
      expect((await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: true } })).status()).toBe(200);
      expect((await mtls(agent, "GET", "/api/v1/me")).status).toBe(200);
      expect((await admin.patch(`/api/v1/users/${userId}`, { data: { disabled: true } })).status()).toBe(200);
      const userDisabled = await mtls(agent, "GET", "/api/v1/me");
      expect(userDisabled.socket).toBe(before.socket);
      expect(userDisabled.status).toBe(401);
      expect(userDisabled.body).toMatchObject({ reason: "user_disabled" });
    } finally {
      agent.destroy();
      await admin.patch(`/api/v1/users/${userId}`, { data: { disabled: false } });
      await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: true } });
    }
  });

  test("a resumed TLS session carries the certificate, and is decided anew", async () => {
    // A new connection per request, resuming the TLS session the agent cached from the first.
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10, ca: fs.readFileSync(caFile()), cert: fs.readFileSync(cert.certFile), key: fs.readFileSync(cert.keyFile) });
    try {
      const first = await mtls(agent, "GET", "/api/v1/me");
      const second = await mtls(agent, "GET", "/api/v1/me");
      expect([first.status, first.resumed, second.status, second.resumed]).toEqual([200, false, 200, true]);
      expect(second.body).toMatchObject({ username, authenticatedBy: "certificate" });

      expect((await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: false } })).status()).toBe(200);
      const third = await mtls(agent, "GET", "/api/v1/me");
      expect([third.status, third.resumed, third.body.reason]).toEqual([401, true, "method_disabled"]);
    } finally {
      agent.destroy();
      await asUser.patch(`/api/v1/users/${userId}`, { data: { clientCertificateAuth: true } });
    }
  });

  test("without a certificate nothing else counts: no token, no forged header", async () => {
    const agent = connection();
    try {
      const none = await mtls(agent, "GET", "/api/v1/me");
      expect(none.status).toBe(401);
      expect(none.contentType).toBe(PROBLEM);
      expect(none.body).toMatchObject({ reason: "no_certificate", detail: expect.stringMatching(/^No client certificate was presented/) });

      // A valid bearer token and the header the server itself sets, naming a bound certificate.
      const forged = await mtls(agent, "GET", "/api/v1/me", {
        headers: { authorization: `Bearer ${token}`, "x-certgate-client-certificate": `sha256=${cert.fingerprint}` },
      });
      expect(forged.status).toBe(401);
      expect(forged.body).toMatchObject({ reason: "no_certificate" });
    } finally {
      agent.destroy();
    }

    // On the console's port the forged header is dropped too: the token decides, not the header.
    const viaConsole = await asUser.get("/api/v1/me", { headers: { "x-certgate-client-certificate": "none" } });
    expect(await viaConsole.json()).toMatchObject({ username, authenticatedBy: "token" });
  });

  test("the web console is not served there: pages, assets and server actions get a 404 naming the console", async () => {
    const agent = connection(cert);
    try {
      for (const [method, pathname, headers] of [
        ["GET", "/", {}],
        ["GET", "/load-balancers", {}],
        ["GET", "/_next/static/chunks/main.js", {}],
        ["POST", "/load-balancers", { "next-action": "0123456789abcdef" }],
      ] as const) {
        const answer = await mtls(agent, method, pathname, { headers });
        expect(answer.status, `${method} ${pathname}`).toBe(404);
        expect(answer.contentType).toBe(PROBLEM);
        expect(answer.body.detail).toBe(
          `The web console is not served on this port, which serves only the API under /api/v1/ to clients that authenticate with a certificate; open the console at ${E2E.baseURL}.`,
        );
      }
      // The API itself still answers on the same connection.
      expect((await mtls(agent, "GET", "/api/v1/me")).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
