// Signs in as the first admin with CERTGATE_ADMIN_PASSWORD, as automation does, and keeps the session
// cookie for every spec (playwright.config.ts, project "console").
import { test as setup, expect } from "@playwright/test";
import { E2E } from "./support/env";

setup("the first admin signs in with CERTGATE_ADMIN_PASSWORD", async ({ request }) => {
  expect((await request.get("/api/v1/me")).status()).toBe(401);
  const response = await request.post("/api/v1/session", { data: { username: "admin", password: E2E.adminPassword } });
  expect(response.status(), await response.text()).toBe(200);
  expect(response.headers()["set-cookie"]).toMatch(/HttpOnly; SameSite=Lax/);
  expect(await (await request.get("/api/v1/me")).json()).toMatchObject({ username: "admin", role: "admin", authenticatedBy: "session" });
  await request.storageState({ path: E2E.adminStorageState });
});
