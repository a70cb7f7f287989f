import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { loadUser, pageData } from "@/components/data/server";
import type { ApiPort } from "@/components/users/authentication-tab";
import { UserPage } from "@/components/users/user-page";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await loadUser((await params).id);
  return { title: `${user.username} · Users` };
}

/** The API's client-certificate port as this console runs it, for the Authentication tab's curl line. */
async function apiPort(): Promise<ApiPort> {
  const setting = process.env.CERTGATE_API_MTLS_PORT?.trim() || "3443";
  const port = /^\d+$/.test(setting) ? Number(setting) : 3443;
  let host = "localhost";
  try {
    host = new URL(`http://${(await headers()).get("host") ?? "localhost"}`).hostname;
  } catch {
    // A Host the allowlist let through but URL cannot read: the default name will do for a hint.
  }
  return { host, port: port === 0 ? null : port };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await pageData.user(id)}>
      <UserPage id={id} apiPort={await apiPort()} />
    </HydrationBoundary>
  );
}
