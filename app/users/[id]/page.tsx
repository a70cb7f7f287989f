import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { loadUser, pageData } from "@/components/data/server";
import type { ApiPort } from "@/components/users/authentication-tab";
import { UserPage } from "@/components/users/user-page";
import { apiTlsCaFile } from "@/lib/services/api-tls-files";
import { getRuntime } from "@/lib/services/runtime";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await loadUser((await params).id);
  return { title: `${user.username} · Users` };
}

/** The API's client-certificate port as this console runs it, for the Authentication tab's curl line. */
async function apiPort(): Promise<ApiPort> {
  const { settings } = await getRuntime();
  let host = "localhost";
  try {
    host = new URL(`http://${(await headers()).get("host") ?? "localhost"}`).hostname;
  } catch {
    // A Host the allowlist let through but URL cannot read: the default name will do for a hint.
  }
  return {
    host,
    port: settings.apiMtlsPort || null,
    // The CA of the generated server certificate; a stored one (CERTGATE_API_MTLS_CERTIFICATE) has its own issuer.
    caFile: settings.apiMtlsCertificate ? null : apiTlsCaFile(settings.dataDir),
  };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await pageData.user(id)}>
      <UserPage id={id} apiPort={await apiPort()} />
    </HydrationBoundary>
  );
}
