// The embedded mTLS endpoint. Pure Node (net, tls, http, crypto): no Next.js, no database.
// A glue layer turns stored listeners into ListenerRuntimeConfig[] and calls apply().
export { createDataplane } from "./dataplane";
export { describePeerCertificate } from "./peer-summary";
export type {
  ClientAuthMode,
  ClientAuthRuntime,
  ConnectionReason,
  ConnectionRecord,
  Dataplane,
  DataplaneOptions,
  EndpointState,
  EndpointStatus,
  ListenerRuntimeConfig,
  PeerCertificateSummary,
} from "./types";
export type { EchoBody } from "./echo";
export { describeTakenPort } from "./error-messages";
export { probePort, type PortHolder, type PortProbe } from "./port-probe";
