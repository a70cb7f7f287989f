// Certificate fields as people read them. Distinguished names arrive in RFC 4514 form
// ("CN=Corp Root,O=Corp", with "\," "\<" "\4A" escapes); pages show their values unescaped.
import { formatDate } from "@/components/ui/date-time";

export interface NameAttribute {
  type: string;
  value: string;
}

/** RFC 4514 string → its attributes, most specific first, values unescaped. */
export function parseDistinguishedName(dn: string): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  let current = "";
  let bytes: number[] = []; // escaped hex pairs (\C3\A9) are UTF-8 bytes of one character
  const flushBytes = () => {
    if (bytes.length) current += new TextDecoder().decode(new Uint8Array(bytes));
    bytes = [];
  };
  const push = () => {
    flushBytes();
    const at = current.indexOf("=");
    if (at > 0) attributes.push({ type: current.slice(0, at), value: current.slice(at + 1) });
    current = "";
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === "\\" && i + 1 < dn.length) {
      const pair = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(pair)) {
        bytes.push(parseInt(pair, 16));
        i += 2;
      } else {
        flushBytes();
        current += dn[++i];
      }
    } else if (c === "," || c === "+") {
      push();
    } else {
      flushBytes();
      current += c;
    }
  }
  push();
  return attributes;
}

/** "CN=<b>x</b>, O=Corp": every attribute, unescaped, for display as text. */
export function readableName(dn: string): string {
  const attributes = parseDistinguishedName(dn);
  return attributes.length ? attributes.map((a) => `${a.type}=${a.value}`).join(", ") : dn;
}

/** "CN=Corp Root,O=Corp" → "Corp Root": what people call a certificate. */
export function commonName(dn: string): string {
  return parseDistinguishedName(dn).find((a) => a.type === "CN")?.value ?? readableName(dn);
}

export function daysLeft(notAfter: string, now = Date.now()): number {
  return Math.floor((new Date(notAfter).getTime() - now) / 86_400_000);
}

export function expiryText(notAfter: string): string {
  const days = daysLeft(notAfter);
  const date = formatDate(notAfter);
  if (days < 0) return `${date} (expired)`;
  return `${date} (${days} day${days === 1 ? "" : "s"} left)`;
}
