// GET /api/v1/openapi.json: the docs/api.md contract as OpenAPI 3.1, generated from the zod
// schemas that validate requests (lib/schemas) and describe responses (lib/schemas/responses).
import { AUDIT_TARGET_TYPES } from "../schemas/common";
import { apiRoute } from "./respond";
import { z } from "zod";
import { certificateUploadJsonSchema } from "../schemas/certificates";
import { listenerCreateSchema, listenerPatchSchema } from "../schemas/listeners";
import { loadBalancerCreateSchema } from "../schemas/load-balancers";
import {
  auditEventSchema,
  certificateSchema,
  certificateWithPemSchema,
  connectionSchema,
  dataplaneSchema,
  listenerSchema,
  loadBalancerSchema,
  loadBalancerSummarySchema,
  pageOf,
  problemSchema,
} from "../schemas/responses";

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};
const body = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: jsonSchema(schema, "input") } } });
const ok = (description: string, schema: z.ZodType) => ({ description, content: { "application/json": { schema: jsonSchema(schema, "output") } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const pageParams = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" } },
];
const errors = {
  "400": problem("Malformed request"),
  "404": problem("Not found"),
  "409": problem("Conflict: duplicate, in use, or stale version"),
  "422": problem("Well-formed but invalid"),
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "certgate API", version: "1", description: "HTTPS listeners with Client Certificate Authentication (mutual TLS)." },
    servers: [{ url: "/api/v1" }],
    components: { schemas: { Problem: jsonSchema(problemSchema, "output") } },
    paths: {
      "/certificates": {
        get: {
          summary: "List certificates",
          parameters: [{ name: "kind", in: "query", schema: { enum: ["ca", "client", "server"] } }, ...pageParams],
          responses: { "200": ok("Certificates, newest first", pageOf(certificateSchema)), "400": errors["400"] },
        },
        post: {
          summary: "Upload a certificate (PEM, DER or base64 of DER); multipart/form-data with name, kind, file, keyFile, passphrase also accepted",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: jsonSchema(certificateUploadJsonSchema, "input") },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["name", "kind", "file"],
                  properties: {
                    name: { type: "string" },
                    kind: { enum: ["ca", "client", "server"] },
                    file: { type: "string", format: "binary" },
                    keyFile: { type: "string", format: "binary" },
                    passphrase: { type: "string" },
                  },
                },
              },
            },
          },
          responses: { "201": ok("Uploaded", certificateSchema), ...errors, "413": problem("Certificate over 1 MiB or body over 2 MiB") },
        },
      },
      "/certificates/{id}": {
        parameters: [idParam],
        get: { summary: "A certificate with its PEM", responses: { "200": ok("The certificate", certificateWithPemSchema), "404": errors["404"] } },
        delete: { summary: "Delete a certificate no listener uses", responses: { "204": { description: "Deleted" }, "404": errors["404"], "409": errors["409"] } },
      },
      "/load-balancers": {
        get: { summary: "List load balancers", parameters: pageParams, responses: { "200": ok("Load balancers", pageOf(loadBalancerSummarySchema)) } },
        post: { summary: "Create a load balancer", requestBody: body(loadBalancerCreateSchema), responses: { "201": ok("Created", loadBalancerSchema), ...errors } },
      },
      "/load-balancers/{id}": {
        parameters: [idParam],
        get: { summary: "A load balancer with its listeners", responses: { "200": ok("The load balancer", loadBalancerSchema), "404": errors["404"] } },
        delete: { summary: "Delete a load balancer; its listeners stop serving first", responses: { "204": { description: "Deleted" }, "404": errors["404"] } },
      },
      "/load-balancers/{id}/listeners": {
        parameters: [idParam],
        post: { summary: "Create a listener", requestBody: body(listenerCreateSchema), responses: { "201": ok("Created", listenerSchema), ...errors } },
      },
      "/listeners/{id}": {
        parameters: [idParam],
        get: { summary: "A listener (ETag: its version)", responses: { "200": ok("The listener", listenerSchema), "404": errors["404"] } },
        patch: {
          summary: "Change a listener; If-Match with the ETag makes a stale change fail with 409",
          parameters: [{ name: "If-Match", in: "header", schema: { type: "string" } }],
          requestBody: body(listenerPatchSchema),
          responses: { "200": ok("Saved", listenerSchema), ...errors },
        },
        delete: { summary: "Delete a listener", responses: { "204": { description: "Deleted" }, "404": errors["404"] } },
      },
      "/listeners/{id}/connections": {
        parameters: [idParam],
        get: { summary: "Connections to the listener's endpoint, newest first", parameters: pageParams, responses: { "200": ok("Connections", pageOf(connectionSchema)), "404": errors["404"] } },
      },
      "/audit-events": {
        get: {
          summary: "Every change, newest first",
          parameters: [
            { name: "targetType", in: "query", schema: { enum: [...AUDIT_TARGET_TYPES] } },
            { name: "targetId", in: "query", schema: { type: "string" } },
            ...pageParams,
          ],
          responses: { "200": ok("Audit events", pageOf(auditEventSchema)) },
        },
      },
      "/dataplane": {
        get: { summary: "Whether a data plane is running to serve the listeners", responses: { "200": ok("The data plane", dataplaneSchema) } },
      },
    },
  };
}

export const openApiRoute = apiRoute("signed-in", async () =>
  new Response(JSON.stringify(openApiDocument()), { headers: { "content-type": "application/json; charset=utf-8" } }),
);
