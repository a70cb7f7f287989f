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
// The impact preview (lib/services/impact-preview.ts): the endpoint's own policy builder and decision.
export { predictClient, type StoredPresentation } from "./predict-client";
export { buildClientPolicy } from "./secure-context";
export { judgingOf } from "./verify-client";
export { PeerCache } from "./peer-summary";
export { ListenerLoadError } from "./error-messages";
