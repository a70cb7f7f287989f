// A signed-in operator's browser carries the session cookie to any request a web page they happen
// to visit makes; SameSite=Lax stops most, and this check the rest: such a page must not be able to
// change the console through their browser. Browsers label
// cross-origin requests (Sec-Fetch-Site, Origin); scripts such as curl send neither and pass.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  host: string | null;
  origin: string | null;
  secFetchSite: string | null;
}

/** Returns why the request is refused, or null when it may proceed. */
export function crossOriginRefusal(input: OriginCheckInput): string | null {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return null;
  const site = input.secFetchSite?.toLowerCase();
  if (site && site !== "same-origin" && site !== "none") {
    return `Refused a ${input.method} request sent from another site (${site}); change settings from the certgate console itself.`;
  }
  if (input.origin && input.origin !== "null") {
    let originHost: string;
    try {
      originHost = new URL(input.origin).host;
    } catch {
      return "Refused a request with a malformed Origin header.";
    }
    if (!input.host || originHost.toLowerCase() !== input.host.toLowerCase()) {
      return `Refused a ${input.method} request from origin ${input.origin}; change settings from the certgate console itself.`;
    }
  } else if (input.origin === "null") {
    return "Refused a request from an opaque origin; change settings from the certgate console itself.";
  }
  return null;
}
