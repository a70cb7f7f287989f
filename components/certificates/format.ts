/** "CN=Corp Root,O=Corp" → "Corp Root": what people call a certificate. */
export function commonName(distinguishedName: string): string {
  const match = /(?:^|,)\s*CN=((?:\\,|[^,])+)/.exec(distinguishedName);
  return match ? match[1].replace(/\\,/g, ",") : distinguishedName;
}

export function daysLeft(notAfter: string, now = Date.now()): number {
  return Math.floor((new Date(notAfter).getTime() - now) / 86_400_000);
}

export function expiryText(notAfter: string): string {
  const days = daysLeft(notAfter);
  const date = new Date(notAfter).toISOString().slice(0, 10);
  if (days < 0) return `${date} (expired)`;
  return `${date} (${days} day${days === 1 ? "" : "s"} left)`;
}
