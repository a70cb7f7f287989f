// Playwright fixtures: test data is set up through the API (fast, and not what is under
// test), the flows under test are clicked through in the console.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type APIRequestContext } from "@playwright/test";
import { ensureTestCerts } from "../../test/certs";

export interface Api {
  request: APIRequestContext;
  uploadCertificate(input: { name: string; kind: "ca" | "client" | "server"; certFile: string; keyFile?: string }): Promise<{ id: string; name: string }>;
  /** This certificate file as a `kind` object: the one already uploaded (any name), or a new upload. */
  ensureCertificate(kind: "ca" | "client", certFile: string): Promise<{ id: string; name: string }>;
  /** The openssl-made localhost server certificate, uploaded once and shared (an identical upload is a 409). */
  serverCertificate(): Promise<{ id: string; name: string }>;
  createLoadBalancer(name: string): Promise<{ id: string; name: string }>;
  createListener(loadBalancerId: string, body: Record<string, unknown>): Promise<{ id: string; endpoint: { url: string } }>;
}

export const test = base.extend<{ certs: (name: string) => string; api: Api }>({
  certs: async ({}, provide) => {
    const dir = ensureTestCerts();
    await provide((name: string) => path.join(dir, name));
  },
  api: async ({ request }, provide) => {
    await provide({
      request,
      async uploadCertificate({ name, kind, certFile, keyFile }) {
        const response = await request.post("/api/v1/certificates", {
          data: { name, kind, certificate: fs.readFileSync(certFile, "utf8"), privateKey: keyFile ? fs.readFileSync(keyFile, "utf8") : undefined },
        });
        expect(response.status(), await response.text()).toBe(201);
        return response.json();
      },
      async ensureCertificate(kind, certFile) {
        const fingerprint = new crypto.X509Certificate(fs.readFileSync(certFile)).fingerprint256.replace(/:/g, "").toLowerCase();
        const list = await (await request.get(`/api/v1/certificates?kind=${kind}&limit=500`)).json();
        const existing = list.items.find((c: { fingerprintSha256: string }) => c.fingerprintSha256 === fingerprint);
        return existing ?? this.uploadCertificate({ name: unique(path.basename(certFile, ".pem")), kind, certFile });
      },
      async serverCertificate() {
        const list = await (await request.get("/api/v1/certificates?kind=server&limit=500")).json();
        const existing = list.items.find((c: { name: string }) => c.name === "e2e-localhost");
        if (existing) return existing;
        const dir = ensureTestCerts();
        return this.uploadCertificate({ name: "e2e-localhost", kind: "server", certFile: path.join(dir, "server.pem"), keyFile: path.join(dir, "server.key") });
      },
      async createLoadBalancer(name) {
        const response = await request.post("/api/v1/load-balancers", { data: { name } });
        expect(response.status(), await response.text()).toBe(201);
        return response.json();
      },
      async createListener(loadBalancerId, body) {
        const response = await request.post(`/api/v1/load-balancers/${loadBalancerId}/listeners`, { data: body });
        expect(response.status(), await response.text()).toBe(201);
        return response.json();
      },
    });
  },
});

export { expect };

/** A name no other test (or earlier run on the same data) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}
