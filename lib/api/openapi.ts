// GET /api/v1/openapi.json: the docs/api.md contract as OpenAPI 3.1, generated from the zod
// schemas that validate requests (lib/schemas) and describe responses (lib/schemas/responses).
import { AUDIT_TARGET_TYPES } from "../schemas/common";
import { apiRoute } from "./respond";
import { z } from "zod";
import { certificateUploadJsonSchema } from "../schemas/certificates";
import { crlUploadJsonSchema } from "../schemas/crls";
import { listenerCreateSchema, listenerPatchSchema } from "../schemas/listeners";
import { revertRequestSchema } from "../schemas/audit";
import { loadBalancerCreateSchema } from "../schemas/load-balancers";
import { poolCreateSchema, poolPatchSchema } from "../schemas/pools";
import { signInSchema, tokenCreateSchema, userCreateSchema, userPatchSchema } from "../schemas/identity";
import { SESSION_COOKIE } from "../auth/session-cookie";
import {
  apiTokenCreatedSchema,
  apiTokenSchema,
  auditEventSchema,
  certificateSchema,
  certificateWithPemSchema,
  crlSchema,
  connectionSchema,
  connectionSummarySchema,
  impactSchema,
  dataplaneNodesSchema,
  dataplaneSchema,
  listenerSchema,
  loadBalancerSchema,
  loadBalancerSummarySchema,
  meSchema,
  poolSchema,
  pageOf,
  revertResultSchema,
  problemSchema,
  userCertificateSchema,
  userSchema,
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
/** The impact preview's and the summary's time window. */
const windowParam = { name: "hours", in: "query", schema: { type: "integer", minimum: 1, maximum: 168, default: 24 } };
const errors = {
  "400": problem("Malformed request"),
  "404": problem("Not found"),
  "409": problem("Conflict: duplicate, in use, or stale version"),
  "422": problem("Well-formed but invalid"),
};
/** Every operation but sign-in answers these (docs/api.md "Authentication and roles"). */
const unauthenticated = {
  "401": problem("No valid credential; `reason` says which (not_signed_in, session_expired, invalid_token, token_expired, unknown_certificate, …)"),
};
const forbidden = (who: string) => ({ ...unauthenticated, "403": problem(`The caller's role may not (reason forbidden_for_role); ${who}`) });
const operators = forbidden("operators and admins only");
const admins = forbidden("admins only");
const userIdParam = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "A user's id; a user who is not an admin reaches only their own (others are 404)." };
const certificateFile = {
  "multipart/form-data": {
    schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary", description: "PEM or DER (.pem .crt .cer .der)" } } },
  },
  "application/json": {
    schema: { type: "object", required: ["certificate"], additionalProperties: false, properties: { certificate: { type: "string", description: "PEM text" } } },
  },
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "certgate API", version: "1", description: "HTTPS listeners with Client Certificate Authentication (mutual TLS)." },
    servers: [{ url: "/api/v1" }],
    components: {
      schemas: { Problem: jsonSchema(problemSchema, "output") },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The console's session (POST /session); a mutating request with it must be same-origin.",
        },
        token: { type: "http", scheme: "bearer", description: "A personal API token, `cgt.<id>.<secret>` (POST /tokens)." },
        clientCertificate: {
          type: "mutualTLS",
          description: "On the API client-certificate port only (CERTGATE_API_MTLS_PORT): a certificate bound to a user who turned client certificate authentication on.",
        },
      },
    },
    security: [{ session: [] }, { token: [] }, { clientCertificate: [] }],
    paths: {
      "/session": {
        post: {
          summary: "Sign in: sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)",
          security: [],
          requestBody: body(signInSchema),
          responses: {
            "200": ok("Signed in; Set-Cookie carries the session", meSchema),
            "400": problem("Sent to the client-certificate port, which has no sessions"),
            "401": problem("Wrong username or password, or a disabled user: one answer for all (reason wrong_credentials)"),
            "422": errors["422"],
            "429": problem("Too many failed sign-ins for this username or address; Retry-After says when to try again (reason sign_in_throttled)"),
          },
        },
        delete: { summary: "Sign out: ends this session and clears the cookie", responses: { "204": { description: "Signed out" }, ...unauthenticated } },
      },
      "/me": {
        get: { summary: "The caller: who, with which role, authenticated by what", responses: { "200": ok("The caller", meSchema), ...unauthenticated } },
      },
      "/users": {
        get: { summary: "List users", responses: { "200": ok("Users by username", pageOf(userSchema)), ...admins } },
        post: {
          summary: "Create a user",
          requestBody: body(userCreateSchema),
          responses: { "201": ok("Created", userSchema), ...errors, ...admins, "409": problem("The username is taken (compared without case)") },
        },
      },
      "/users/{id}": {
        parameters: [userIdParam],
        get: { summary: "A user", responses: { "200": ok("The user", userSchema), "404": errors["404"], ...unauthenticated } },
        patch: {
          summary:
            "Change a user. Admins change anyone's username, role, disabled, password; every user changes their own password (with currentPassword) and clientCertificateAuth",
          requestBody: body(userPatchSchema),
          responses: {
            "200": ok("Saved", userSchema),
            ...errors,
            ...forbidden("only admins change username, role and disabled"),
            "409": problem("The username is taken, or the change would leave no admin who can sign in"),
          },
        },
        delete: {
          summary: "Delete a user with their sessions, tokens and certificate bindings",
          responses: { "204": { description: "Deleted" }, "404": errors["404"], "409": problem("Yourself, or the last admin"), ...admins },
        },
      },
      "/users/{id}/client-certificates": {
        parameters: [userIdParam],
        get: { summary: "The certificates bound to the user", responses: { "200": ok("Bindings, oldest first", pageOf(userCertificateSchema)), "404": errors["404"], ...unauthenticated } },
        post: {
          summary: "Bind a client certificate (at most 5 per user; clientAuth EKU, not a CA, in date; one user per certificate)",
          requestBody: { required: true, content: certificateFile },
          responses: {
            "201": ok("Bound", userCertificateSchema),
            ...errors,
            "409": problem("Already 5 bound, or the certificate is bound to a user already"),
            "413": problem("Certificate over 1 MiB or body over 2 MiB"),
            "415": problem("Neither multipart/form-data nor JSON"),
            ...unauthenticated,
          },
        },
      },
      "/users/{id}/client-certificates/{certId}": {
        parameters: [userIdParam, { name: "certId", in: "path", required: true, schema: { type: "string" } }],
        delete: {
          summary: "Remove a binding; the next request with that certificate is refused",
          responses: { "204": { description: "Removed" }, "404": errors["404"], ...unauthenticated },
        },
      },
      "/tokens": {
        get: { summary: "The caller's API tokens (never the secrets)", responses: { "200": ok("Tokens, newest first", pageOf(apiTokenSchema)), ...unauthenticated } },
        post: {
          summary: "Make an API token for the caller; the answer is the only time it is shown",
          requestBody: body(tokenCreateSchema),
          responses: { "201": ok("Created", apiTokenCreatedSchema), "400": errors["400"], "422": errors["422"], ...unauthenticated },
        },
      },
      "/tokens/{id}": {
        parameters: [idParam],
        delete: {
          summary: "Revoke a token (the caller's own; admins anyone's); the next request with it is refused",
          responses: { "204": { description: "Revoked" }, "404": errors["404"], ...unauthenticated },
        },
      },
      "/certificates": {
        get: {
          summary: "List certificates",
          parameters: [{ name: "kind", in: "query", schema: { enum: ["ca", "client", "server"] } }, ...pageParams],
          responses: { "200": ok("Certificates, newest first", pageOf(certificateSchema)), "400": errors["400"], ...unauthenticated },
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
          responses: { "201": ok("Uploaded", certificateSchema), ...errors, "413": problem("Certificate over 1 MiB or body over 2 MiB"), ...operators },
        },
      },
      "/certificates/{id}": {
        parameters: [idParam],
        get: { summary: "A certificate with its PEM", responses: { "200": ok("The certificate", certificateWithPemSchema), "404": errors["404"], ...unauthenticated } },
        delete: { summary: "Delete a certificate no listener uses", responses: { "204": { description: "Deleted" }, "404": errors["404"], "409": errors["409"], ...operators } },
      },
      "/certificates/{id}/crls": {
        parameters: [idParam],
        get: { summary: "A CA certificate's revocation lists, newest first", responses: { "200": ok("The CRLs", z.object({ items: z.array(crlSchema) })), "404": errors["404"], ...unauthenticated } },
        post: {
          summary: "Upload a CRL (PEM, DER or base64 DER) signed by this CA or a CA of its bundle; the newest per issuer is in force for new connections when this answers",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: jsonSchema(crlUploadJsonSchema, "input") },
              "multipart/form-data": {
                schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary", description: "PEM ('X509 CRL') or DER (.crl .der .pem)" } } },
              },
            },
          },
          responses: {
            "201": ok("Uploaded", crlSchema),
            ...errors,
            "409": problem("Not a CA certificate (reason not_a_ca_certificate), or this CRL is already uploaded (reason duplicate_crl)"),
            "413": problem("CRL over 32 MiB"),
            "422": problem("Not accepted; `reason` names why: wrong_issuer, bad_signature, from_the_future, malformed, truncated, trailing_data, not_a_crl, delta_crl, indirect_crl, …"),
            ...operators,
          },
        },
      },
      "/certificates/{id}/crls/{crlId}": {
        parameters: [idParam, { name: "crlId", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Delete a CRL; the CA's next newest of that issuer comes into force", responses: { "204": { description: "Deleted" }, "404": errors["404"], ...operators } },
      },
      "/load-balancers": {
        get: { summary: "List load balancers", parameters: pageParams, responses: { "200": ok("Load balancers", pageOf(loadBalancerSummarySchema)), ...unauthenticated } },
        post: { summary: "Create a load balancer", requestBody: body(loadBalancerCreateSchema), responses: { "201": ok("Created", loadBalancerSchema), ...errors, ...operators } },
      },
      "/load-balancers/{id}": {
        parameters: [idParam],
        get: { summary: "A load balancer with its listeners", responses: { "200": ok("The load balancer", loadBalancerSchema), "404": errors["404"], ...unauthenticated } },
        delete: { summary: "Delete a load balancer; its listeners stop serving first", responses: { "204": { description: "Deleted" }, "404": errors["404"], ...operators } },
      },
      "/load-balancers/{id}/listeners": {
        parameters: [idParam],
        post: { summary: "Create a listener", requestBody: body(listenerCreateSchema), responses: { "201": ok("Created", listenerSchema), ...errors, ...operators } },
      },
      "/load-balancers/{id}/pools": {
        parameters: [idParam],
        get: { summary: "The load balancer's backend pools, by name, with each member's health", responses: { "200": ok("Pools", z.object({ items: z.array(poolSchema) })), "404": errors["404"], ...unauthenticated } },
        post: {
          summary: "Create a backend pool (algorithm round_robin, weight 1 and health check GET / every 5 s, 2 to change state, when left out)",
          requestBody: body(poolCreateSchema),
          responses: { "201": ok("Created", poolSchema), ...errors, "409": problem("A pool of this load balancer has that name"), ...operators },
        },
      },
      "/pools/{id}": {
        parameters: [idParam],
        get: { summary: "A backend pool with each member's health (ETag: its version)", responses: { "200": ok("The pool", poolSchema), "404": errors["404"], ...unauthenticated } },
        patch: {
          summary: "Change a pool (members replaces the whole list); If-Match with the ETag makes a stale change fail with 409",
          parameters: [{ name: "If-Match", in: "header", schema: { type: "string" } }],
          requestBody: body(poolPatchSchema),
          responses: { "200": ok("Saved, and in force", poolSchema), ...errors, ...operators },
        },
        delete: {
          summary: "Delete a pool no listener forwards to",
          responses: { "204": { description: "Deleted" }, "404": errors["404"], "409": problem("The default pool of a listener; the detail names the listeners"), ...operators },
        },
      },
      "/listeners/{id}": {
        parameters: [idParam],
        get: { summary: "A listener (ETag: its version)", responses: { "200": ok("The listener", listenerSchema), "404": errors["404"], ...unauthenticated } },
        patch: {
          summary: "Change a listener; If-Match with the ETag makes a stale change fail with 409",
          parameters: [{ name: "If-Match", in: "header", schema: { type: "string" } }],
          requestBody: body(listenerPatchSchema),
          responses: { "200": ok("Saved", listenerSchema), ...errors, ...operators },
        },
        delete: { summary: "Delete a listener", responses: { "204": { description: "Deleted" }, "404": errors["404"], ...operators } },
      },
      "/listeners/{id}/connections": {
        parameters: [idParam],
        get: { summary: "Connections to the listener's endpoint, newest first", parameters: pageParams, responses: { "200": ok("Connections", pageOf(connectionSchema)), "404": errors["404"], ...unauthenticated } },
      },
      "/listeners/{id}/connections/summary": {
        parameters: [idParam],
        get: {
          summary: "The connection log's counts by outcome in a window (report mode's running count of would-be refusals)",
          parameters: [windowParam],
          responses: { "200": ok("Counts", connectionSummarySchema), ...errors, ...unauthenticated },
        },
      },
      "/listeners/{id}/impact": {
        parameters: [idParam],
        post: {
          summary:
            "What a PATCH with this body would do to the clients seen on the listener lately: each distinct client certificate of the connection log judged by the endpoint's own rules under the proposed settings. Saves nothing",
          parameters: [windowParam],
          requestBody: body(listenerPatchSchema),
          responses: { "200": ok("The clients that would be refused, and how many would not", impactSchema), ...errors, ...unauthenticated },
        },
      },
      "/audit-events": {
        get: {
          summary: "Every change, newest first",
          parameters: [
            { name: "targetType", in: "query", schema: { enum: [...AUDIT_TARGET_TYPES] } },
            { name: "targetId", in: "query", schema: { type: "string" } },
            ...pageParams,
          ],
          responses: { "200": ok("Audit events", pageOf(auditEventSchema)), ...unauthenticated },
        },
      },
      "/audit-events/{id}/revert": {
        parameters: [{ ...idParam, description: "An audit event's id: a change of a listener's settings (listener.updated, listener.client_ca_enabled, listener.client_ca_disabled, listener.reverted)." }],
        post: {
          summary:
            "Revert a listener change: restores the settings the event changed through the listener's save path (checked, audited as listener.reverted, in force when this answers); the body may be left out",
          parameters: [{ name: "If-Match", in: "header", schema: { type: "string" }, description: "The listener's version the caller saw (a 409's listenerVersion to confirm): changed since → 409 stale version." }],
          requestBody: { ...body(revertRequestSchema), required: false },
          responses: {
            "200": ok("Reverted (ETag: the listener's version), or unchanged when the listener already had those settings", revertResultSchema),
            ...errors,
            "404": problem("No audit event has this id"),
            "409": problem(
              "The listener changed since (reason changed_since: `overwrites` lists what the revert would overwrite; confirm with confirmOverwrite and If-Match listenerVersion), was deleted (reason listener_deleted), a stale If-Match, or a port or name now taken",
            ),
            "422": problem("Not a change of a listener's settings (reason not_revertable), or the restored settings are no longer valid (a certificate or pool deleted since)"),
            ...operators,
          },
        },
      },
      "/dataplane": {
        get: { summary: "Whether a data plane is running to serve the listeners", responses: { "200": ok("The data plane", dataplaneSchema), ...unauthenticated } },
      },
      "/dataplane-nodes": {
        get: { summary: "Every registered data-plane node: state, applied revision, each listener's state on it", responses: { "200": ok("The nodes", dataplaneNodesSchema), ...unauthenticated } },
      },
      "/dataplane-nodes/{id}": {
        parameters: [idParam],
        delete: {
          summary: "Forget a stopped or gone node",
          responses: { "204": { description: "Forgotten" }, "404": errors["404"], "409": problem("The node is up"), ...operators },
        },
      },
    },
  };
}

export const openApiRoute = apiRoute("signed-in", async () =>
  new Response(JSON.stringify(openApiDocument()), { headers: { "content-type": "application/json; charset=utf-8" } }),
);
