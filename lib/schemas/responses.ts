// What the API answers, as zod schemas: the OpenAPI document is generated from them, and the
// contract tests parse live responses with them.
import { AUDIT_TARGET_TYPES } from "./common";
import { z } from "zod";
import { CONNECTION_OUTCOMES, CONNECTION_REASONS, POOL_ALGORITHMS } from "../dataplane/types";
import { clientAuthModeSchema } from "./listeners";
import { ROLES } from "../auth/roles";

const isoTime = z.string().describe("RFC 3339 time, UTC");

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe("One sentence a person can act on."),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
  reason: z
    .string()
    .optional()
    .describe("A stable code for scripts where one answer can have several causes, e.g. unknown_certificate on a 401 (docs/api.md \"Authentication and roles\")."),
  overwrites: z
    .array(z.object({ field: z.string(), current: z.unknown(), restored: z.unknown() }))
    .optional()
    .describe("A revert's 409 changed_since: each setting (dotted, e.g. clientAuth.caCertificateId) it would overwrite, its value now and the value it would restore."),
  listenerVersion: z.number().int().optional().describe("A revert's 409 changed_since: the listener's version those values were read at (If-Match to confirm)."),
});

export const certificateSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["ca", "client", "server"]),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: isoTime,
  notAfter: isoTime,
  fingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/),
  certificateCount: z.number().int().min(1),
  keyAlgorithm: z.string(),
  signatureAlgorithm: z.string(),
  isCA: z.boolean(),
  pathLength: z.number().int().nullable(),
  keyUsage: z.array(z.string()),
  extendedKeyUsage: z.array(z.string()),
  subjectAltNames: z.array(z.string()),
  warnings: z.array(z.string()),
  hasPrivateKey: z.boolean().describe("Whether a private key is held; the key itself is never returned."),
  usedBy: z.array(z.object({ listenerId: z.string(), name: z.string() })),
  crlsPastNextUpdate: z
    .array(z.object({ id: z.string(), issuer: z.string(), nextUpdate: isoTime }))
    .describe("CA certificates: the CRLs in force whose nextUpdate has passed (still applied; the CA should publish a new one)."),
  createdAt: isoTime,
});
/** A certificate revocation list of a CA certificate (docs/api.md "Certificate revocation lists"). */
export const crlSchema = z.object({
  id: z.string(),
  certificateId: z.string().describe("The CA certificate it was uploaded to."),
  issuer: z.string().describe("RFC 4514: the CA that signed it."),
  issuerFingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/).describe("The certificate of the CA's bundle whose key verified it."),
  thisUpdate: isoTime,
  nextUpdate: isoTime.nullable(),
  revokedCount: z.number().int().min(0),
  crlNumber: z.string().nullable().describe("The cRLNumber extension in decimal, or null."),
  inForce: z.boolean().describe("The newest CRL of its issuer (by thisUpdate, then upload time): the one listeners apply."),
  expired: z.boolean().describe("Past its nextUpdate; still applied when in force."),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the CRL's DER."),
  createdAt: isoTime,
});
export const certificateWithPemSchema = certificateSchema.extend({ pem: z.string().describe("The public certificate(s), PEM.") });

export const listenerSchema = z.object({
  id: z.string(),
  loadBalancerId: z.string(),
  name: z.string(),
  protocol: z.enum(["HTTP", "HTTPS"]),
  port: z.number().int(),
  certificateId: z.string().nullable(),
  clientAuth: z.object({
    enabled: z.boolean(),
    mode: clientAuthModeSchema,
    caCertificateId: z.string().nullable(),
    trustedCertificateIds: z.array(z.string()),
  }),
  defaultPoolId: z.string().nullable().describe("The pool requests are forwarded to; null: the built-in echo (the test endpoint)."),
  version: z.number().int(),
  endpoint: z.object({
    url: z.string(),
    state: z
      .enum(["serving", "stopped", "error"])
      .describe("Over the live data-plane nodes: error if it is in error on any of them, serving if it serves on at least one, else stopped."),
    error: z.string().nullable().describe("The first node's error, named with its node."),
    nodes: z
      .object({
        live: z.number().int().describe("Live data-plane nodes."),
        serving: z.number().int().describe("Live nodes on which the listener serves: \"serving on 2 of 2 nodes\"."),
        errors: z.array(z.object({ nodeId: z.string(), hostname: z.string(), error: z.string() })),
        pending: z
          .array(z.object({ nodeId: z.string(), hostname: z.string(), appliedRevision: z.number().int() }))
          .describe("Live nodes that have not applied the newest change yet (a save waits up to 3 s for every live node)."),
      })
      .optional(),
  }),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const poolSchema = z.object({
  id: z.string(),
  loadBalancerId: z.string(),
  name: z.string(),
  algorithm: z.enum(POOL_ALGORITHMS),
  members: z.array(
    z.object({
      address: z.string(),
      port: z.number().int(),
      weight: z.number().int(),
      health: z
        .enum(["healthy", "unhealthy", "unknown"])
        .describe("What the data plane's health checks say; unknown until the first checks settle, or while no listener forwards to the pool."),
    }),
  ),
  healthCheck: z.object({
    path: z.string(),
    intervalSeconds: z.number().int(),
    healthyThreshold: z.number().int(),
    unhealthyThreshold: z.number().int(),
  }),
  usedBy: z.array(z.object({ listenerId: z.string(), name: z.string() })).describe("The listeners whose default pool this is."),
  version: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const loadBalancerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z
    .enum(["active", "degraded", "stopped", "empty"])
    .describe("stopped: no data plane is running, so none of its listeners is served (see GET /dataplane)."),
  listenerCount: z.number().int(),
  createdAt: isoTime,
});
export const loadBalancerSchema = loadBalancerSummarySchema.extend({ listeners: z.array(listenerSchema) });

export const dataplaneSchema = z.object({
  running: z.boolean().describe("Whether a data plane is running to serve the listeners."),
  mode: z
    .enum(["embedded", "standalone"])
    .describe("embedded: inside the console process; standalone: `npm run dataplane` (CERTGATE_EMBEDDED_DATAPLANE=0)."),
});

export const dataplaneNodeSchema = z.object({
  id: z.string().describe("CERTGATE_NODE_ID, or <hostname>-<bind address>; stable across restarts."),
  hostname: z.string(),
  address: z.string().describe("DATAPLANE_HOST, the address its listeners bind."),
  version: z.string(),
  pid: z.number().int(),
  workers: z.number().int().describe("Worker processes serving the listeners (CERTGATE_DATAPLANE_WORKERS)."),
  metricsUrl: z.string().nullable().describe("Where the node serves Prometheus metrics; null when turned off."),
  startedAt: isoTime,
  lastSeenAt: isoTime.describe("The node's last heartbeat (every second while it runs)."),
  appliedRevision: z.number().int().describe("The config revision every worker of the node enforces."),
  state: z.enum(["up", "gone", "stopped"]).describe("stopped: shut down cleanly; gone: no heartbeat for goneAfterSeconds (killed, or cut off from the store)."),
  listeners: z.record(z.string(), z.object({ state: z.enum(["serving", "stopped", "error"]), error: z.string().nullable() })),
  lastStoreOutage: z
    .object({ from: isoTime, to: isoTime })
    .nullable()
    .describe("The last time the node could not reach the store (it kept serving its last configuration)."),
});
export const dataplaneNodesSchema = z.object({
  configRevision: z.number().int().describe("The newest config revision; a node whose appliedRevision is lower has not applied every change."),
  goneAfterSeconds: z.number().int(),
  items: z.array(dataplaneNodeSchema),
});

export const connectionSchema = z.object({
  at: isoTime,
  remoteAddress: z.string(),
  outcome: z.enum(CONNECTION_OUTCOMES).describe("would_reject: let in by report mode; required mode would have refused it for `reason`."),
  reason: z.enum(CONNECTION_REASONS),
  tlsProtocol: z.string().nullable(),
  clientCertificate: z.object({ subject: z.string(), issuer: z.string(), fingerprintSha256: z.string() }).nullable(),
});

const timeWindowSchema = z.object({ from: isoTime, to: isoTime });

export const impactSchema = z.object({
  window: timeWindowSchema.describe("The part of the connection log judged (default: the last 24 hours)."),
  clientsSeen: z.number().int().describe("Distinct clients in the window: each client certificate, and all connections without one as one client."),
  wouldBeRefused: z.array(
    z.object({
      subject: z.string().nullable().describe("null: the clients that presented no certificate."),
      issuer: z.string().nullable(),
      fingerprintSha256: z.string().nullable(),
      lastSeenAt: isoTime,
      connections: z.number().int(),
      reason: z.enum(CONNECTION_REASONS).describe("The reason the endpoint would refuse it with under the proposed settings."),
    }),
  ),
  wouldBeAccepted: z.number().int(),
  unassessed: z.number().int().describe("Clients whose certificate the log did not keep (seen before certgate kept them): not judged."),
});

export const connectionSummarySchema = z.object({
  window: timeWindowSchema,
  connections: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  wouldReject: z.number().int().describe("Connections report mode let in that required mode would refuse."),
  wouldRejectClients: z.number().int().describe("Distinct client certificates (and no certificate) among them."),
});

/** POST /audit-events/{id}/revert: the listener as it is now, and what the revert did. */
export const revertResultSchema = listenerSchema.extend({
  revert: z.object({
    outcome: z.enum(["reverted", "unchanged"]).describe("unchanged: the listener already had the settings from before the change; nothing was written or audited."),
    detail: z.string(),
  }),
});

export const auditEventSchema = z.object({
  id: z.string().describe("The event's id: what POST /audit-events/{id}/revert names."),
  at: isoTime,
  actor: z.string(),
  actorVia: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.enum(AUDIT_TARGET_TYPES), id: z.string(), name: z.string() }),
  details: z.record(z.string(), z.unknown()),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

// Identity (docs/api.md "Identity"). No answer has a password, a hash or, but for the answer that
// creates it, a token's secret.
const roleSchema = z.enum(ROLES);

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  authenticatedBy: z.enum(["session", "token", "certificate"]).describe("The credential this request was authenticated by."),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  clientCertificateAuth: z.boolean().describe("Whether the user may call the API client-certificate port with a bound certificate."),
  createdAt: isoTime,
  updatedAt: isoTime,
  lastSignInAt: isoTime.nullable(),
});

export const userCertificateSchema = z.object({
  id: z.string(),
  subject: z.string(),
  issuer: z.string(),
  fingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the certificate's DER: what a presented certificate must match."),
  notBefore: isoTime,
  notAfter: isoTime,
  createdAt: isoTime,
});

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoTime,
  expiresAt: isoTime,
  lastUsedAt: isoTime.nullable().describe("Updated at most once a minute."),
});
export const apiTokenCreatedSchema = apiTokenSchema.extend({
  token: z.string().describe("`cgt.<id>.<secret>`, for `Authorization: Bearer`. In this answer only: certgate keeps just its hash."),
});
