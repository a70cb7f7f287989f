import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { DataplaneBanner } from "@/components/shell/dataplane-banner";
import { ExpiryBanner } from "@/components/shell/expiry-banner";
import { Nav } from "@/components/shell/nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "certgate", template: "%s · certgate" },
  description: "HTTPS listeners with Client Certificate Authentication",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <Nav />
          <DataplaneBanner />
          <ExpiryBanner />
          <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
