// Signing in as a person does: through the sign-in page, in a browser context of its own per user,
// so each user's session cookie stays theirs. The admin starts from the session e2e/auth.setup.ts
// kept; other users are made through the API as that admin (set-up, not what is under test).
import crypto from "node:crypto";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { E2E } from "./env";
import { unique } from "./fixtures";

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: "admin" | "operator" | "viewer";
}

/** Fills the sign-in page and waits until the console shows the signed-in user. */
export async function signInThroughPage(page: Page, username: string, password: string, path = "/load-balancers"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** A new browser context signed in as `username`: its page, and `page.request` carries the session. */
export async function signedInPage(browser: Browser, username: string, password: string, path?: string): Promise<Page> {
  // Empty, not the admin's kept session that the project gives every new context by default.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInThroughPage(page, username, password, path);
  return page;
}

/** A new browser context with the admin's kept session, on `path`. */
export async function signedInAsAdmin(browser: Browser, path = "/load-balancers"): Promise<Page> {
  const context = await browser.newContext({ storageState: E2E.adminStorageState });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

/** A user made through the API by an admin's session (`adminRequest` is a signed-in admin page's request). */
export async function createUser(adminRequest: APIRequestContext, role: TestUser["role"], prefix: string = role): Promise<TestUser> {
  const username = unique(prefix);
  const password = `pw-${crypto.randomUUID()}`;
  const response = await adminRequest.post("/api/v1/users", { data: { username, password, role } });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = await response.json();
  return { id, username, password, role };
}
