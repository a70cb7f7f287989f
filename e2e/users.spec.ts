// Identity in the console as people use it: signing in and out, an admin managing users on the
// Users page and a user's page, and every role seeing what it may do (and being refused the rest by
// the server, whatever the page offered).
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { ensureTestCerts } from "../test/certs";
import { expectAccessible } from "./support/axe";
import { E2E } from "./support/env";
import { expect, test, unique } from "./support/fixtures";
import { createUser, signedInAsAdmin, signedInPage, signInThroughPage } from "./support/identity";

const SCREENSHOTS = path.join("test-results", "screens");

// Each test signs in two or three people (scrypt) and runs several axe scans: on a busy two-core
// machine that takes longer than the suite's default minute.
test.describe.configure({ timeout: 180_000 });

test.describe("signed out", () => {
  // This test starts with no session, not the admin's kept one.
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a person signs in through the sign-in page and signs out", async ({ page }) => {
    await page.goto("/certificates");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fcertificates$/);
    await expectAccessible(page, "sign-in page");

    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText(/username or password/i);

    await page.getByLabel("Password").fill(E2E.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back where the person was going.
    await expect(page.getByRole("heading", { name: "Certificates" })).toBeVisible();
    await expect(page).toHaveURL(/\/certificates$/);
    await expect(page.getByRole("link", { name: /admin \(admin\)/ })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/load-balancers");
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  });
});

test("an admin creates a viewer and an operator on the Users page", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser, "/users");
  await expect(admin.getByRole("link", { name: "Users" })).toBeVisible();
  await admin.getByRole("link", { name: "Users" }).click();
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
  await expectAccessible(admin, "Users page");

  const made: Record<string, string> = {};
  for (const role of ["viewer", "operator"] as const) {
    const username = unique(`ui-${role}`);
    await admin.getByRole("button", { name: "Create user" }).click();
    const dialog = admin.getByRole("dialog", { name: "Create user" });
    await expect(dialog.locator("#user-role-hint")).toHaveText("Reads only");
    if (role === "viewer") {
      // Nothing filled: each field says what it needs.
      await dialog.getByRole("button", { name: "Create user" }).click();
      await expect(dialog.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
      await expectAccessible(admin, "Create user dialog");
    }
    await dialog.getByLabel("Username").fill(username);
    await dialog.getByLabel("Password").fill("correct-horse-battery");
    await dialog.getByRole("combobox", { name: "Role" }).selectOption(role);
    await expect(dialog.locator("#user-role-hint")).toHaveText(role === "operator" ? "Load balancers, listeners and certificates" : "Reads only");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: username })).toBeVisible();
    made[role] = username;
    await admin.getByRole("link", { name: "Users" }).first().click();
  }

  // The same username again is refused beside the field.
  await admin.getByRole("button", { name: "Create user" }).click();
  const dialog = admin.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Username").fill(made.viewer);
  await dialog.getByLabel("Password").fill("correct-horse-battery");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog.getByText(`The username "${made.viewer}" is taken; choose another.`)).toBeVisible();
  await admin.keyboard.press("Escape");

  for (const [role, username] of Object.entries(made)) {
    const row = admin.getByRole("row").filter({ has: admin.getByRole("link", { name: username }) });
    await expect(row).toContainText(role);
    await expect(row).toContainText("Enabled");
    await expect(row).toContainText("Off");
    await expect(row).toContainText("Never");
  }
  await admin.screenshot({ path: path.join(SCREENSHOTS, "users-page.png"), fullPage: true });
});

test("a viewer sees every change disabled with the reason, and the server refuses a write", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const server = await createServerCertificate(admin);
  const lbResponse = await admin.request.post("/api/v1/load-balancers", { data: { name: unique("viewer-sees") } });
  expect(lbResponse.status()).toBe(201);
  const lb = await lbResponse.json();
  const listener = await admin.request.post(`/api/v1/load-balancers/${lb.id}/listeners`, {
    data: { name: "http-viewer", protocol: "HTTP", port: 18337 },
  });
  expect(listener.status(), await listener.text()).toBe(201);
  const viewer = await createUser(admin.request, "viewer");
  const page = await signedInPage(browser, viewer.username, viewer.password);
  const reason = "Your role (viewer) can only read; ask an admin for the operator role to change load balancers, listeners and certificates.";

  // No Users link, and the page itself says why it is closed.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Only admins manage users; you are signed in as a viewer.");

  await page.goto("/load-balancers");
  const create = page.getByRole("button", { name: "Create load balancer" });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAccessibleDescription(reason);
  await expect(page.getByText(reason)).toBeVisible();
  await expectAccessible(page, "load balancers as a viewer");
  await page.screenshot({ path: path.join(SCREENSHOTS, "load-balancers-as-viewer.png") });

  await page.goto(`/load-balancers/${lb.id}`);
  for (const name of ["Delete load balancer", "Create listener"]) {
    await expect(page.getByRole("button", { name })).toBeDisabled();
    await expect(page.getByRole("button", { name })).toHaveAccessibleDescription(reason);
  }
  const edit = page.getByRole("row").filter({ hasText: "http-viewer" }).getByRole("button", { name: "Edit" });
  await expect(edit).toBeDisabled();
  await expect(edit).toHaveAccessibleDescription(reason);
  await expectAccessible(page, "load balancer page as a viewer");

  await page.getByRole("link", { name: "http-viewer" }).click();
  for (const name of ["Edit", "Delete"]) {
    await expect(page.getByRole("button", { name, exact: true })).toBeDisabled();
    await expect(page.getByRole("button", { name, exact: true })).toHaveAccessibleDescription(reason);
  }

  await page.goto("/certificates");
  await expect(page.getByRole("button", { name: "Upload certificate" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Upload certificate" })).toHaveAccessibleDescription(reason);
  await page.goto(`/certificates/${server.id}`);
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
  await expectAccessible(page, "certificate page as a viewer");

  // Reads work; a write through the API with the viewer's own session is refused with the same reason.
  expect((await page.request.get("/api/v1/load-balancers")).status()).toBe(200);
  const refused = await page.request.post("/api/v1/load-balancers", { data: { name: unique("viewer-write") } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).detail).toBe(reason);
});

test("an operator sees no Users link and cannot open /users; a role taken away is refused by the server action", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const operator = await createUser(admin.request, "operator");
  const page = await signedInPage(browser, operator.username, operator.password);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Only admins manage users; you are signed in as an operator.");
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  // Someone else's page is not found, as if absent.
  await page.goto(`/users/${(await (await admin.request.get("/api/v1/me")).json()).id}`);
  await expect(page.getByRole("heading", { name: "User not found" })).toBeVisible();

  await page.goto("/load-balancers");
  await expect(page.getByRole("button", { name: "Create load balancer" })).toBeEnabled();

  // The admin makes them a viewer while their page still offers the button.
  await admin.goto(`/users/${operator.id}`);
  await admin.getByRole("combobox", { name: "Role" }).selectOption("viewer");
  await admin.getByRole("button", { name: "Change role" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: operator.username }).locator("..")).toContainText("viewer");

  await page.getByRole("button", { name: "Create load balancer" }).click();
  const dialog = page.getByRole("dialog", { name: "Create load balancer" });
  await dialog.getByLabel("Name").fill(unique("too-late"));
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    "Your role (viewer) can only read; ask an admin for the operator role to change load balancers, listeners and certificates.",
  );
});

test("an admin disables a user (their open session ends), enables them, resets a password and deletes a user", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const user = await createUser(admin.request, "operator", "ui-managed");
  const userPage = await signedInPage(browser, user.username, user.password);

  await admin.goto(`/users/${user.id}`);
  await expect(admin.getByRole("tab", { name: "Details" })).toBeVisible();
  await expect(admin.getByRole("tab", { name: "API tokens" })).toHaveCount(0);
  await expectAccessible(admin, "user page (Details) as an admin");
  await admin.screenshot({ path: path.join(SCREENSHOTS, "user-details-as-admin.png"), fullPage: true });
  await admin.getByRole("button", { name: "Disable user" }).click();
  await expect(admin.getByRole("button", { name: "Enable user" })).toBeVisible();

  // The user's open page finds out on its next read and goes to sign-in, to come back here after.
  await expect(userPage).toHaveURL(/\/sign-in\?next=%2Fload-balancers$/, { timeout: 20_000 });
  await userPage.getByLabel("Username").fill(user.username);
  await userPage.getByLabel("Password").fill(user.password);
  await userPage.getByRole("button", { name: "Sign in" }).click();
  await expect(userPage.getByRole("main").getByRole("alert")).toBeVisible();
  await expect(userPage).toHaveURL(/\/sign-in/);

  await admin.getByRole("button", { name: "Enable user" }).click();
  await expect(admin.getByRole("button", { name: "Disable user" })).toBeVisible();

  // Reset: the old password stops working, the new one works.
  await admin.getByLabel("New password").fill("reset-by-admin-1");
  await admin.getByRole("button", { name: "Reset password" }).click();
  await expect(admin.getByText(`Password of ${user.username} reset`).first()).toBeVisible();
  expect((await userPage.request.post("/api/v1/session", { data: { username: user.username, password: user.password } })).status()).toBe(401);
  await userPage.getByLabel("Password").fill("reset-by-admin-1");
  await userPage.getByRole("button", { name: "Sign in" }).click();
  await expect(userPage.getByRole("heading", { name: "Load Balancers" })).toBeVisible();

  // Delete: the button waits for the exact username.
  await admin.getByRole("button", { name: "Delete user" }).click();
  const dialog = admin.getByRole("dialog", { name: "Delete user" });
  await expectAccessible(admin, "Delete user dialog");
  await dialog.getByLabel(`Type ${user.username} to confirm`).fill(user.username.slice(0, -1));
  await expect(dialog.getByRole("button", { name: "Delete user" })).toBeDisabled();
  await dialog.getByLabel(`Type ${user.username} to confirm`).fill(user.username);
  await dialog.getByRole("button", { name: "Delete user" }).click();
  await expect(admin).toHaveURL(/\/users$/);
  await expect(admin.getByRole("link", { name: user.username })).toHaveCount(0);
  expect((await userPage.request.get("/api/v1/me")).status()).toBe(401);
});

test("the last admin can be neither demoted nor disabled, and says why", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const users = (await (await admin.request.get("/api/v1/users")).json()).items as { role: string; disabled: boolean }[];
  expect(users.filter((u) => u.role === "admin" && !u.disabled)).toHaveLength(1);
  await admin.getByRole("link", { name: /admin \(admin\)/ }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "admin" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Delete user" })).toBeDisabled();
  await expect(admin.getByRole("button", { name: "Delete user" })).toHaveAccessibleDescription(/can't delete yourself/);

  const lastAdmin = "admin is the last admin who can sign in; make another user an admin first.";
  await admin.getByRole("combobox", { name: "Role" }).selectOption("operator");
  await admin.getByRole("button", { name: "Change role" }).click();
  await expect(admin.getByText(lastAdmin)).toBeVisible();
  await admin.getByRole("button", { name: "Disable user" }).click();
  await expect(admin.getByRole("button", { name: "Disable user" })).toHaveAccessibleDescription(lastAdmin);
  expect((await (await admin.request.get("/api/v1/me")).json()).role).toBe("admin");
});

test("a user changes their own password from their account page", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const user = await createUser(admin.request, "viewer", "ui-self");
  const page = await signedInPage(browser, user.username, user.password);
  await page.getByRole("link", { name: new RegExp(`${user.username} \\(viewer\\)`) }).click();
  await expect(page.getByRole("heading", { level: 1, name: user.username })).toBeVisible();
  // A user's own page: no role, status, reset or delete controls.
  await expect(page.getByRole("button", { name: "Change role" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Disable user" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete user" })).toHaveCount(0);
  await expectAccessible(page, "your account page");

  await page.getByLabel("Current password").fill("wrong-current-password");
  await page.getByLabel("New password").fill("my-own-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Enter your current password.")).toBeVisible();

  await page.getByLabel("Current password").fill(user.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed").first()).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signInThroughPage(page, user.username, "my-own-new-password");
});

/** The shared localhost server certificate (e2e/support/fixtures.ts's), uploaded as the admin. */
async function createServerCertificate(admin: Page): Promise<{ id: string }> {
  const list = await (await admin.request.get("/api/v1/certificates?kind=server&limit=500")).json();
  const existing = list.items.find((c: { name: string }) => c.name === "e2e-localhost");
  if (existing) return existing;
  const dir = ensureTestCerts();
  const response = await admin.request.post("/api/v1/certificates", {
    data: {
      name: "e2e-localhost",
      kind: "server",
      certificate: fs.readFileSync(path.join(dir, "server.pem"), "utf8"),
      privateKey: fs.readFileSync(path.join(dir, "server.key"), "utf8"),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

test("a change made after the session ended sends the person to sign in, and back to where they were", async ({ browser }) => {
  const admin = await signedInAsAdmin(browser);
  const user = await createUser(admin.request, "viewer", "ui-ended");
  const page = await signedInPage(browser, user.username, user.password, `/users/${user.id}`);
  await page.getByRole("tab", { name: "API tokens" }).click();
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByRole("dialog", { name: "Create token" }).getByLabel("Name").fill("after-reset");

  // An admin resets the password meanwhile: every session of the user ends.
  const reset = await admin.request.patch(`/api/v1/users/${user.id}`, { data: { password: "reset-while-away" } });
  expect(reset.status(), await reset.text()).toBe(200);

  // The server action answers 401; the console goes to sign-in, remembering this page.
  await page.getByRole("dialog", { name: "Create token" }).getByRole("button", { name: "Create token" }).click();
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(`/users/${user.id}`)}$`));
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill("reset-while-away");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/users/${user.id}$`));
  await page.getByRole("tab", { name: "API tokens" }).click();
  // Nothing was made by the refused action.
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
});
