// Turns bind and load failures into the one sentence an operator sees beside state "error".
// The raw OpenSSL/system text is kept out of the sentence where a plain explanation exists.
import type { PortHolder } from "./port-probe";

/** A configuration that cannot be turned into a live endpoint; `message` is shown as is. */
export class ListenerLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ListenerLoadError";
  }
}

/** `host:port` as a person writes it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** A port another program holds, naming it where known (the console's 422 and the endpoint's error say the same). */
export function describeTakenPort(host: string, port: number, program: PortHolder | null): string {
  const who = program ? `another program (${program.command}, pid ${program.pid})` : "another program";
  return `Port ${port} on ${host} is already in use by ${who}; stop that program or pick another port.`;
}

/** `heldBy`: another listener of ours bound to the port; `program`: the process holding it otherwise, where known. */
export function describeBindError(error: unknown, host: string, port: number, heldBy?: string, program: PortHolder | null = null): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EADDRINUSE":
      return heldBy ? `Port ${port} on ${host} is already used by listener "${heldBy}"; pick another port.` : describeTakenPort(host, port, program);
    case "EACCES":
    case "EPERM":
      return `Port ${port} on ${host} needs privileges this server does not have; pick a port above 1023 or allow the server to bind low ports.`;
    case "EADDRNOTAVAIL":
      return `Address ${host} does not belong to this machine; pick one of its addresses, or 0.0.0.0 for all of them.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return `Host ${host} cannot be resolved to an address of this machine; use an IP address such as 0.0.0.0.`;
    case "ERR_SOCKET_BAD_PORT":
      return `Port ${port} is not a valid TCP port; pick one from 1 to 65535.`;
    default:
      return `Port ${port} on ${host} could not be opened (${code ?? (error as Error)?.message ?? "unknown error"}); check the address and try again.`;
  }
}

/** For failures of tls.createSecureContext with the server certificate and key. */
export function describeServerCredentialError(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code ?? "";
  if (code === "ERR_OSSL_X509_KEY_VALUES_MISMATCH") {
    return "The private key does not match the listener's server certificate; upload the certificate together with its own key.";
  }
  if (code === "ERR_OSSL_BAD_DECRYPT" || /bad decrypt|passphrase/i.test(String((error as Error)?.message))) {
    return "The listener's private key is encrypted and cannot be used as stored; upload it again with its passphrase.";
  }
  if (code === "ERR_OSSL_PEM_NO_START_LINE" || code.startsWith("ERR_OSSL_PEM")) {
    return "The listener's server certificate or private key is not valid PEM; upload the server certificate again.";
  }
  if (code.startsWith("ERR_OSSL_DECODER") || code === "ERR_OSSL_UNSUPPORTED") {
    return "The listener's private key cannot be read; upload it again as a PKCS#8, PKCS#1 or SEC1 PEM key.";
  }
  return `The listener's server certificate or key cannot be loaded (${code || (error as Error)?.message || "unknown error"}); upload them again.`;
}
