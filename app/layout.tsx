import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { DataplaneBanner } from "@/components/shell/dataplane-banner";
import { ExpiryBanner } from "@/components/shell/expiry-banner";
import { Nav } from "@/components/shell/nav";
import { currentCaller } from "@/lib/auth/page-caller";
import { toMe } from "@/lib/auth/caller";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "certgate", template: "%s · certgate" },
  description: "HTTPS listeners with Client Certificate Authentication",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const caller = await currentCaller();
  const me = caller ? toMe(caller) : null;
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers me={me}>
          {/* Signed out, the only page is sign-in: no navigation, no banners that read the API. */}
          {me ? (
            <>
              <Nav />
              <DataplaneBanner />
              <ExpiryBanner />
            </>
          ) : null}
          <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
