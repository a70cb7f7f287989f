import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets two builds (e.g. two engineers' test runs) live side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and reflection-heavy server packages load from node_modules as they are.
  serverExternalPackages: ["better-sqlite3", "pg", "kysely", "@peculiar/x509", "reflect-metadata"],
  experimental: {
    // Server actions carry certificate uploads (1 MiB file + key + form fields) and CRL uploads:
    // a CRL may be up to 32 MiB (MAX_CRL_BYTES; a 100,000-entry CRL is ~4 MB) plus the form.
    serverActions: { bodySizeLimit: "34mb" },
    // proxy.ts runs before every request and Next buffers the body for it, cutting it at this
    // size (10 MB by default): the CRL upload route reads up to MAX_CRL_REQUEST_BYTES (33 MiB).
    proxyClientMaxBodySize: "34mb",
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
