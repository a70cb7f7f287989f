// The signed-in user of a page render (the console's session cookie), decided by the same
// authenticate() as the API. Cached per request: the layout and the page ask once.
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getRuntime } from "../services/runtime";
import { authenticate } from "./authenticate";
import type { Caller } from "./caller";
import { SESSION_COOKIE } from "./session-cookie";

export const currentCaller = cache(async (): Promise<Caller | null> => {
  const sessionCookie = (await cookies()).get(SESSION_COOKIE)?.value ?? null;
  if (!sessionCookie) return null;
  try {
    return await authenticate(await getRuntime(), { clientCertificate: null, authorization: null, sessionCookie });
  } catch {
    return null;
  }
});

/** The page's caller; without a live session the page is the sign-in page instead. */
export async function requirePageCaller(): Promise<Caller> {
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  return caller;
}
