// A real TLS client for the listener endpoints: what `curl --cert --key --cacert` does.
import fs from "node:fs";
import https from "node:https";

export type EndpointAnswer = { kind: "response"; status: number; body: Record<string, unknown> } | { kind: "refused"; error: string };

/** `servername`: the name to send and verify when the URL's host is an address the certificate does not name (another node's). */
export function getEndpoint(
  url: string,
  opts: { caFile: string; certFile?: string; keyFile?: string; timeoutMs?: number; servername?: string },
): Promise<EndpointAnswer> {
  return new Promise((resolve) => {
    const request = https.get(
      url,
      {
        ca: fs.readFileSync(opts.caFile),
        cert: opts.certFile ? fs.readFileSync(opts.certFile) : undefined,
        key: opts.keyFile ? fs.readFileSync(opts.keyFile) : undefined,
        servername: opts.servername,
        agent: false, // a new connection every time: a change applies to new connections
        timeout: opts.timeoutMs ?? 5_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ kind: "response", status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        response.on("error", (error) => resolve({ kind: "refused", error: error.message }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error) => resolve({ kind: "refused", error: `${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}`.trim() }));
  });
}
