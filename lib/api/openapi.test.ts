import { describe, expect, it } from "vitest";
import { servedRoutes } from "../../test/api";
import { openApiDocument } from "./openapi";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** The catch-all that answers unknown /api/v1 paths with a 404 problem: not a resource. */
const UNKNOWN_PATH_ROUTE = "/{[...path]}";
/** The document describes the API, not the route that serves the document. */
const DOCUMENT_ROUTE = "/openapi.json";

type Operation = { security?: unknown[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as unknown as {
    openapi: string;
    security: unknown[];
    components: { securitySchemes: Record<string, { type: string }> };
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = () =>
    Object.entries(doc.paths).flatMap(([route, item]) =>
      Object.entries(item)
        .filter(([key]) => METHODS.includes(key.toUpperCase()))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation })),
    );

  it("describes every route and method the app serves under /api/v1, and no other", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const routes = Object.fromEntries(Object.entries(await servedRoutes()).map(([route, methods]) => [route, methods.map((m) => m.toLowerCase()).sort()]));
    const { [DOCUMENT_ROUTE]: documentRoute, [UNKNOWN_PATH_ROUTE]: unknownPath, ...served } = routes;
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
    expect(Object.keys(patch.properties).sort()).toEqual(["certificateId", "clientAuth", "defaultPoolId", "name", "port"]);
    expect(Object.keys(patch.properties.clientAuth.properties ?? {}).sort()).toEqual(["caCertificateId", "enabled", "mode", "trustedCertificateIds"]);
    expect(patch.properties.clientAuth.properties?.mode).toMatchObject({ enum: ["required", "optional", "report"], description: expect.stringContaining("X-Client-Cert-Verify") });
    expect(patch.additionalProperties).toBe(false);
    const pool = doc.paths["/load-balancers/{id}/pools"].post.requestBody!.content["application/json"].schema as {
      properties: Record<string, { items?: { properties?: Record<string, unknown> }; properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(pool.properties).sort()).toEqual(["algorithm", "healthCheck", "members", "name"]);
    expect(Object.keys(pool.properties.members.items?.properties ?? {}).sort()).toEqual(["address", "port", "weight"]);
    expect(Object.keys(pool.properties.healthCheck.properties ?? {}).sort()).toEqual(["healthyThreshold", "intervalSeconds", "path", "unhealthyThreshold"]);
  });

  it("names the three ways to authenticate, and every operation but sign-in answers 401", () => {
    expect(Object.fromEntries(Object.entries(doc.components.securitySchemes).map(([name, scheme]) => [name, scheme.type]))).toEqual({
      session: "apiKey",
      token: "http",
      clientCertificate: "mutualTLS",
    });
    expect(doc.security).toEqual([{ session: [] }, { token: [] }, { clientCertificate: [] }]);
    for (const { name, operation } of operations()) {
      if (name === "POST /session") {
        expect(operation.security).toEqual([]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["200", "401", "429"]));
      } else {
        expect(Object.keys(operation.responses), name).toContain("401");
      }
      // The impact preview is a read that takes a body: anyone who may read the listener may ask it.
      const isRead = name === "POST /listeners/{id}/impact";
      if (!isRead && (/^(POST|PATCH|DELETE) \/(load-balancers|listeners|certificates)/.test(name) || /^(GET|POST) \/users$/.test(name))) {
        expect(Object.keys(operation.responses), name).toContain("403");
      }
    }
  });

  it("shows the token in the answer that creates it and nowhere else, and never a password", () => {
    const schemaText = (name: string) => JSON.stringify(operations().find((o) => o.name === name)!.operation.responses);
    expect(schemaText("POST /tokens")).toContain('"token"');
    expect(schemaText("GET /tokens")).not.toContain('"token"');
    for (const { name, operation } of operations()) expect(JSON.stringify(operation.responses), name).not.toMatch(/"password|[Hh]ash"/);
    const create = doc.paths["/users"].post.requestBody!.content["application/json"].schema as { required: string[] };
    expect(create.required.sort()).toEqual(["password", "role", "username"]);
  });
});
