// A read or a server action answered 401: the console session is gone (signed out in another tab,
// timed out, revoked by a password change, or the user was disabled). The console goes to the
// sign-in page, which brings the user back to where they were.
export function sendToSignIn(): void {
  if (typeof window === "undefined" || window.location.pathname === "/sign-in") return;
  const here = window.location.pathname + window.location.search;
  // A full load: the layout renders signed out, and no cached answer of the old session survives.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/sign-in?next=${encodeURIComponent(here)}`);
}
