// Content-Type is compared by its media type, parsed: a substring test would let
// `text/html; x=application/json` or `application/jsonx` through as JSON.

/** The media type of a Content-Type header value ("type/subtype", lower case), or null. */
export function mediaTypeOf(contentType: string | null): string | null {
  if (!contentType) return null;
  const essence = contentType.split(";", 1)[0].trim().toLowerCase();
  // RFC 9110 token characters on each side of exactly one slash.
  return /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(essence) ? essence : null;
}
