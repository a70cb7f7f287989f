// Signing in from a spec: the admin of a console a test starts itself, or another user.
import { expect, type APIRequestContext } from "@playwright/test";
import { E2E } from "./env";

/** Signs `request` in (its cookie jar keeps the session) and returns who it is. */
export async function signIn(request: APIRequestContext, username = "admin", password: string = E2E.adminPassword): Promise<{ id: string; role: string }> {
  const response = await request.post("/api/v1/session", { data: { username, password } });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}
