import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as unknown as {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
  };

  it("covers every route of docs/api.md", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/audit-events", "/certificates", "/certificates/{id}", "/dataplane", "/listeners/{id}", "/listeners/{id}/connections", "/load-balancers", "/load-balancers/{id}", "/load-balancers/{id}/listeners"].sort(),
    );
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
