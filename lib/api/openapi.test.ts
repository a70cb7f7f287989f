import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { implementedMethods } from "./methods";
import { openApiDocument } from "./openapi";

const API_DIR = path.resolve(__dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** The catch-all that answers unknown /api/v1 paths with a 404 problem: not a resource. */
const UNKNOWN_PATH_ROUTE = "/{[...path]}";
/** The document describes the API, not the route that serves the document. */
const DOCUMENT_ROUTE = "/openapi.json";

/**
 * Every route Next serves under /api/v1: its path from the folders ([id] -> {id}), its methods from
 * the handlers the file implements (every route file exports all methods; lib/api/methods.ts marks
 * the ones that only answer 405).
 */
async function servedRoutes(): Promise<Record<string, string[]>> {
  const files = fs.readdirSync(API_DIR, { recursive: true, encoding: "utf8" }).filter((file) => path.basename(file) === "route.ts");
  const routes: Record<string, string[]> = {};
  for (const file of files) {
    const folders = path.dirname(file).split(path.sep).map((folder) => folder.replace(/^\[(.+)\]$/, "{$1}"));
    const handlers = implementedMethods(await import(path.join(API_DIR, file)));
    routes[`/${folders.join("/")}`] = handlers.map((m) => m.toLowerCase()).sort();
  }
  return routes;
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as unknown as {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
  };

  it("describes every route and method the app serves under /api/v1, and no other", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const { [DOCUMENT_ROUTE]: documentRoute, [UNKNOWN_PATH_ROUTE]: unknownPath, ...served } = await servedRoutes();
    expect(unknownPath).toEqual(["delete", "get", "patch", "post", "put"]);
    expect(documentRoute).toEqual(["get"]);
    expect(Object.keys(served).length).toBeGreaterThanOrEqual(8); // the folders were found at all
    const described = Object.fromEntries(
      Object.entries(doc.paths).map(([route, item]) => [route, Object.keys(item).filter((key) => METHODS.includes(key.toUpperCase())).sort()]),
    );
    expect(described).toEqual(served);
  });

  it("describes request bodies from the same zod schemas that validate them", () => {
    const patch = doc.paths["/listeners/{id}"].patch.requestBody!.content["application/json"].schema as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(patch.properties).sort()).toEqual(["certificateId", "clientAuth", "name", "port"]);
    expect(Object.keys(patch.properties.clientAuth.properties ?? {}).sort()).toEqual(["caCertificateId", "enabled", "trustedCertificateIds"]);
    expect(patch.additionalProperties).toBe(false);
  });
});
