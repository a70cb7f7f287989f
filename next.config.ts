import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets two builds (e.g. two engineers' test runs) live side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and reflection-heavy server packages load from node_modules as they are.
  serverExternalPackages: ["better-sqlite3", "pg", "kysely", "@peculiar/x509", "reflect-metadata"],
  experimental: {
    // Certificate uploads through server actions: 1 MiB file + key + form fields.
    serverActions: { bodySizeLimit: "2mb" },
  },
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (tsc --noEmit); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
