import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// What lib/pki (pure X.509) and lib/dataplane (pure Node TLS) may not reach: they run in the
// stand-alone data plane and in tests without a database or Next, and the store and services
// depend on them, never the other way round. Checked on resolved paths, so "@/lib/store/x",
// "../store/x" and "../../lib/store" are all caught.
const APP_LAYERS = ["./lib/store", "./lib/services", "./lib/api", "./lib/actions", "./app", "./components"];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "dist/**", ".next-*/**", "node_modules/**", "data/**", "test/.generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // Import rules read only our own files: parsing node_modules made import/no-cycle take minutes.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // A cycle makes load order decide what is undefined at import time; type-only imports are
      // exempt, and packages cannot import us back.
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // lib/ is shared by the console, the API and the stand-alone data plane: it never reaches into the UI.
    files: ["lib/**/*.ts"],
    rules: {
      "import/no-restricted-paths": ["error", { zones: [{ target: "./lib", from: ["./app", "./components"] }] }],
      // Test helpers live in test/: production code in lib/ uses no devDependency (vitest, fast-check…).
      "import/no-extraneous-dependencies": ["error", { devDependencies: ["**/*.test.ts"] }],
    },
  },
  {
    files: ["lib/pki/**/*.ts", "lib/dataplane/**/*.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./lib/pki", from: APP_LAYERS, message: "lib/pki is pure X.509: no store, services or Next." },
            { target: "./lib/dataplane", from: APP_LAYERS, message: "lib/dataplane is pure Node TLS: no store, services or Next." },
          ],
        },
      ],
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "react", "react-dom", "server-only"] }],
    },
  },
];

export default config;
