#!/usr/bin/env node
// Run after `npm install` changes package-lock.json.
//
// Why: the registry this project is built against does not serve other platforms' optional
// binaries (e.g. @next/swc-darwin-arm64 answers 404), so npm leaves them out of the lockfile,
// and `npm ci` then refuses the lockfile as out of sync. Listing each missing optional
// package by name and version (no tarball address) satisfies `npm ci`; on a platform that
// needs one it is fetched from the registry as usual, elsewhere npm skips it as optional.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [at, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version, optional: true };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: listed ${added} optional package(s) the registry does not serve`);
