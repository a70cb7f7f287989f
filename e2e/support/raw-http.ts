// Exact bytes on the wire: HTTP clients (Playwright's included) normalize what these tests must
// send as a hostile client would — dot segments, bad percent-escapes, TRACE, a forged Host.
import net from "node:net";
import { E2E } from "./env";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body = ""): Promise<RawResponse> {
  const head = [`${method} ${target} HTTP/1.1`, ...Object.entries({ host: `127.0.0.1:${E2E.port}`, connection: "close", ...headers }).map(([k, v]) => `${k}: ${v}`)];
  if (body) head.push(`content-length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(E2E.port, "127.0.0.1", () => socket.end(`${head.join("\r\n")}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.once("error", reject);
    socket.once("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [headText, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...headerLines] = headText.split("\r\n");
      const responseHeaders = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      let responseBody = rest.join("\r\n\r\n");
      if (responseHeaders["transfer-encoding"] === "chunked") responseBody = unchunk(responseBody);
      resolve({ status: Number(statusLine.split(" ")[1]), headers: responseHeaders, body: responseBody });
    });
  });
}

function unchunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const end = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, end), 16);
    if (!size) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}
