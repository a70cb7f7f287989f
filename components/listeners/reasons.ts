import type { ConnectionReason } from "@/lib/dataplane/types";

/** The data plane's decision reasons, as an operator reads them (one per reason of CONNECTION_REASONS). */
export const REASON_LABELS: Readonly<Record<ConnectionReason, string>> = {
  ok: "Verified",
  not_checked: "Not checked (Client CA off)",
  no_certificate: "No client certificate",
  untrusted_issuer: "Not issued by the trusted CA",
  expired: "Client certificate expired",
  not_yet_valid: "Client certificate not yet valid",
  not_pinned: "Not one of the trusted client certificates",
  bad_key_usage: "Key usage does not allow client authentication",
  revoked: "Revoked by the CA's CRL",
  tls_error: "TLS handshake failed",
};
