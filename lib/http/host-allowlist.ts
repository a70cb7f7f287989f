// DNS rebinding defence: a web page whose name is rebound to 127.0.0.1 reaches the console from the
// operator's own browser, with its own name in Host and a matching Origin, so the same-origin check
// alone lets it through. The console therefore answers only the host names it is meant to be reached
// by: loopback names by default, plus those configured (CERTGATE_ALLOWED_HOSTS, CERTGATE_PUBLIC_URL).
// X-Forwarded-Host is believed only from the reverse proxies named in CERTGATE_TRUSTED_PROXIES.
import net from "node:net";

export interface HostPolicy {
  /** Extra host names (lower case, no port) besides loopback. */
  allowedHosts: string[];
  /** Addresses of reverse proxies whose X-Forwarded-Host is believed. */
  trustedProxies: string[];
}

export interface HostCheckInput {
  host: string | null;
  forwardedHost: string | null;
  /** The TCP peer, as the console server saw it; null when unknown (then no proxy is trusted). */
  peerAddress: string | null;
}

/** Reads the policy from the environment (see README "Configuration"). */
export function hostPolicyFromEnv(env: Record<string, string | undefined> = process.env): HostPolicy {
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
  const allowedHosts = list(env.CERTGATE_ALLOWED_HOSTS).map((entry) => hostnameOf(entry) ?? entry);
  if (env.CERTGATE_PUBLIC_URL) {
    try {
      allowedHosts.push(new URL(env.CERTGATE_PUBLIC_URL).hostname.toLowerCase().replace(/^\[|\]$/g, ""));
    } catch {
      // A malformed public URL is reported at start-up (lib/config.ts); it allows nothing here.
    }
  }
  // A console bound to one IP address is reached by that address: an address is no rebindable name.
  const bound = env.HOST?.trim();
  if (bound && net.isIP(bound) && bound !== "0.0.0.0" && bound !== "::") allowedHosts.push(bound.toLowerCase());
  return { allowedHosts, trustedProxies: list(env.CERTGATE_TRUSTED_PROXIES).map(normalizeAddress) };
}

/** The host name of a Host header value ("[::1]:3000" → "::1"), lower case; null when malformed. */
export function hostnameOf(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return plain ? plain[1].replace(/\.$/, "") : null;
}

function isLoopbackName(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (net.isIPv4(hostname)) return hostname.startsWith("127.");
  return hostname === "::1";
}

function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:/, "");
}

/** The Host the request was addressed to: X-Forwarded-Host from a trusted proxy, Host otherwise. */
export function addressedHost(input: HostCheckInput, policy: HostPolicy): string | null {
  const fromTrustedProxy =
    input.forwardedHost !== null && input.peerAddress !== null && policy.trustedProxies.includes(normalizeAddress(input.peerAddress));
  return fromTrustedProxy ? input.forwardedHost!.split(",")[0].trim() : input.host;
}

/** Returns why a request addressed to `host` is refused, or null when the console serves that host. */
export function hostRefusal(host: string | null, policy: HostPolicy): string | null {
  if (!host) return "The request has no Host header; send the host name you reach the console by.";
  const hostname = hostnameOf(host);
  if (hostname === null) return "The Host header is malformed; send the host name you reach the console by.";
  if (isLoopbackName(hostname) || policy.allowedHosts.includes(hostname)) return null;
  return `This console does not answer to the host name "${hostname}". If that is how you reach it, add it to CERTGATE_ALLOWED_HOSTS (or set CERTGATE_PUBLIC_URL) and restart.`;
}

/**
 * The client's address for per-address limits: the nearest X-Forwarded-For hop a trusted proxy
 * added, else the TCP peer. (Earlier hops are whatever the client claimed.)
 */
export function clientAddress(input: { peerAddress: string | null; forwardedFor: string | null }, policy: HostPolicy): string {
  const peer = input.peerAddress ? normalizeAddress(input.peerAddress) : "unknown";
  if (!input.forwardedFor || !policy.trustedProxies.includes(peer)) return peer;
  const hops = input.forwardedFor.split(",").map((hop) => hop.trim()).filter(Boolean);
  return hops.length > 0 ? normalizeAddress(hops[hops.length - 1]) : peer;
}
