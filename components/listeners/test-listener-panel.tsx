"use client";
import { useQuery } from "@tanstack/react-query";
import type { CertificateView, ConnectionView, ListenerView } from "@/components/data/api";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import type { ListenerTestFiles } from "@/lib/services/listener-test-files";
import { REASON_LABELS } from "./reasons";

/** A path as a shell reads it: quoted only when it has to be. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

const NO_FILES: ListenerTestFiles = { serverCa: null, clientCertificate: null, clientKey: null };

function commandsFor(listener: ListenerView, files: ListenerTestFiles) {
  const url = `${listener.endpoint.url}/`;
  if (listener.protocol !== "HTTPS") return [{ title: "Plain HTTP", text: `curl ${url}` }];
  const cacert = shellWord(files.serverCa ?? "server-ca.pem");
  const cert = shellWord(files.clientCertificate ?? "client.pem");
  const key = shellWord(files.clientKey ?? "client.key");
  return [
    { title: "Without a client certificate", text: `curl --cacert ${cacert} ${url}` },
    { title: "With a client certificate", text: `curl --cacert ${cacert} --cert ${cert} --key ${key} ${url}` },
  ];
}

/** Report mode's "let in, but Required would have refused it" reads apart from both real outcomes. */
function OutcomeBadge({ outcome }: { outcome: ConnectionView["outcome"] }) {
  if (outcome === "accepted") return <Badge tone="green">Accepted</Badge>;
  if (outcome === "would_reject") return <Badge tone="amber">Would reject</Badge>;
  return <Badge tone="red">Rejected</Badge>;
}

/** Why there is nothing to try: the endpoint's own reason, or that it is not running. */
function notServingReason(listener: ListenerView): string {
  if (listener.endpoint.state === "error" && listener.endpoint.error) return listener.endpoint.error;
  return "Its endpoint is stopped: no data plane is serving it right now.";
}

/** What a user needs to try the listener from a shell, and what the endpoint decided. */
export function TestListenerPanel({ listener, certificates }: { listener: ListenerView; certificates: CertificateView[] }) {
  const connections = useQuery({
    ...queries.connections(listener.id),
    refetchInterval: 2_000,
  });
  const https = listener.protocol === "HTTPS";
  // Under the listener's key: saving the listener refreshes which files fit it.
  const testFiles = useQuery({ ...queries.listenerTestFiles(listener.id, listener.version), enabled: https });
  const files = testFiles.data ?? NO_FILES;
  // In error on one node but serving on another: there is something to try (the URL is a serving node's).
  const serving = listener.endpoint.state === "serving" || (listener.endpoint.nodes?.serving ?? 0) > 0;
  const url = `${listener.endpoint.url}/`;
  const server = certificates.find((c) => c.id === listener.certificateId);
  const ca = certificates.find((c) => c.id === listener.clientAuth.caCertificateId);
  const commands = commandsFor(listener, files);

  return (
    <section aria-labelledby="test-listener" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <h2 id="test-listener" className="text-lg font-semibold">
        Test this listener
      </h2>
      <p className="text-sm">
        Endpoint: <code className="break-all">{url}</code>
      </p>
      {serving ? (
        <>
          <ul className="space-y-3">
            {commands.map((command) => (
              <li key={command.title} className="space-y-1">
                <p className="text-sm font-medium">{command.title}</p>
                <div className="flex items-start gap-2">
                  <pre tabIndex={0} aria-label={command.title} className="flex-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
                    <code>{command.text}</code>
                  </pre>
                  <CopyButton text={command.text} label={`Copy: ${command.title.toLowerCase()}`} />
                </div>
              </li>
            ))}
          </ul>
          {https ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {files.serverCa ? (
                <>
                  <code>{files.serverCa}</code> is the demo CA file on this machine; it issued the server certificate{" "}
                  {server ? <strong>{server.name}</strong> : null}.
                </>
              ) : (
                <>
                  <code>server-ca.pem</code> stands for the CA that issued the server certificate {server ? <strong>{server.name}</strong> : null}
                  {server ? ` (issuer ${server.issuer})` : ""}.
                </>
              )}{" "}
              {files.clientCertificate && files.clientKey ? (
                <>
                  <code>{files.clientCertificate}</code> and <code>{files.clientKey}</code> are the demo&apos;s client certificate and key, which this
                  listener lets in.
                </>
              ) : (
                <>
                  <code>client.pem</code> and <code>client.key</code> stand for a client certificate and its key
                  {listener.clientAuth.enabled && ca ? (
                    <>
                      {" "}
                      issued by <strong>{ca.name}</strong>
                    </>
                  ) : null}
                  .
                </>
              )}
              {!listener.clientAuth.enabled
                ? " Client CA is disabled: both commands are let in."
                : listener.clientAuth.mode === "optional"
                  ? " Client CA is optional: both commands are let in, and the echo's X-Client-Cert-Verify says NONE for the first."
                  : listener.clientAuth.mode === "report"
                    ? " Client CA is in report mode: both commands are let in, and the first is logged below as Would reject."
                    : " Client CA is enabled: the first command is refused."}
            </p>
          ) : null}
        </>
      ) : (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <p className="font-medium">This listener is not serving, so there is nothing to try yet.</p>
          <p>{notServingReason(listener)}</p>
          <p className="mt-1 text-xs">The commands to try it appear here once it serves.</p>
        </div>
      )}

      <h3 className="text-base font-semibold">Latest connections</h3>
      <Table caption="Latest connections, newest first" head={["When", "From", "Outcome", "Reason", "TLS", "Client certificate"]}>
        {!connections.data || connections.data.items.length === 0 ? (
          <EmptyRow colSpan={6}>{connections.isPending ? "Loading…" : serving ? "No connections yet. Run one of the commands above." : "No connections yet."}</EmptyRow>
        ) : (
          connections.data.items.map((c, i) => (
            <tr key={`${c.at}-${i}`}>
              <Td>
                <DateTime value={c.at} precision="seconds" />
              </Td>
              <Td>{c.remoteAddress}</Td>
              <Td>
                <OutcomeBadge outcome={c.outcome} />
              </Td>
              <Td>{c.reason === "ok" && !c.clientCertificate ? "OK (no certificate)" : (REASON_LABELS[c.reason] ?? c.reason)}</Td>
              <Td>{c.tlsProtocol ?? "—"}</Td>
              <Td className="break-all text-xs">{c.clientCertificate?.subject ?? "—"}</Td>
            </tr>
          ))
        )}
      </Table>
    </section>
  );
}
