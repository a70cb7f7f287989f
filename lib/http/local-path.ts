/**
 * Where to go after signing in: a path on this console only (never `//host` or a URL), so a link
 * cannot send a user who signs in to another site.
 */
export function localPath(value: string | string[] | undefined | null): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/sign-in")) return "/";
  return path;
}
