// What a refused client is told. Node cannot fail a handshake with a chosen TLS alert (its verify
// callback always lets the handshake finish; see README "Facts"), so the one refusal the TLS stack
// voices itself is a missing certificate (alert 116 `certificate required` in TLS 1.3, 40
// `handshake failure` in TLS 1.2). Every other refusal is decided after the handshake and answered
// here: an HTTP 403 problem body naming the reason and what to do, to the first request on the
// connection, which is then closed. Nothing else is ever served on a refused connection.
import { problem, type HttpProblem } from "./echo";
import type { RefusalReason } from "./types";

/** The problem type a refused client receives; `reason` is the connection log's reason. */
export const CLIENT_CERTIFICATE_REFUSED_TYPE = "urn:certgate:problem:client-certificate-refused";
const TITLE = "Client certificate refused";

const DETAILS: Readonly<Record<RefusalReason, string>> = {
  no_certificate: "No client certificate was presented and this listener requires one (no_certificate); connect with a client certificate and its key.",
  untrusted_issuer:
    "The client certificate is not issued by a CA this listener trusts (untrusted_issuer); connect with a certificate issued by the listener's Client CA, sending any intermediate CA certificates with it.",
  expired: "The client certificate has expired (expired); renew it and connect with the new certificate.",
  not_yet_valid: "The client certificate is not valid yet (not_yet_valid); wait until its notBefore time, or check the clock of the machine that issued it.",
  not_pinned:
    "The client certificate is not one of this listener's trusted client certificates (not_pinned); connect with one of them, or ask the operator to add yours.",
  bad_key_usage:
    "The client certificate's key usage does not allow TLS client authentication (bad_key_usage); connect with a certificate whose extended key usage includes clientAuth.",
  revoked:
    "The client certificate, or a CA certificate in its chain, is revoked by the certificate revocation list of the listener's Client CA (revoked); connect with a certificate that is not revoked.",
  tls_error: "The client certificate could not be verified (tls_error); try again, and if it persists ask the operator to check the listener's connection log.",
};

// Built once: a refusal costs a lookup, like the echo's own answers.
const REFUSALS = Object.fromEntries(
  Object.entries(DETAILS).map(([reason, detail]) => [
    reason,
    problem(403, "Forbidden", { type: CLIENT_CERTIFICATE_REFUSED_TYPE, title: TITLE, detail, reason }),
  ]),
) as Readonly<Record<RefusalReason, HttpProblem>>;

/** The 403 a client refused for `reason` gets. */
export function refusalProblem(reason: RefusalReason): HttpProblem {
  return REFUSALS[reason];
}
