"use client";
import { useQuery } from "@tanstack/react-query";
import type { CertificateView, ListenerView } from "@/components/data/api";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { REASON_LABELS } from "./reasons";

/** What a user needs to try the listener from a shell, and what the endpoint decided. */
export function TestListenerPanel({ listener, certificates }: { listener: ListenerView; certificates: CertificateView[] }) {
  const connections = useQuery({
    ...queries.connections(listener.id),
    refetchInterval: 2_000,
  });
  const url = `${listener.endpoint.url}/`;
  const server = certificates.find((c) => c.id === listener.certificateId);
  const ca = certificates.find((c) => c.id === listener.clientAuth.caCertificateId);
  const https = listener.protocol === "HTTPS";
  const commands = https
    ? [
        { title: "Without a client certificate", text: `curl --cacert server-ca.pem ${url}` },
        { title: "With a client certificate", text: `curl --cacert server-ca.pem --cert client.pem --key client.key ${url}` },
      ]
    : [{ title: "Plain HTTP", text: `curl ${url}` }];

  return (
    <section aria-labelledby="test-listener" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
      <h2 id="test-listener" className="text-lg font-semibold">
        Test this listener
      </h2>
      <p className="text-sm">
        Endpoint: <code className="break-all">{url}</code>
      </p>
      <ul className="space-y-3">
        {commands.map((command) => (
          <li key={command.title} className="space-y-1">
            <p className="text-sm font-medium">{command.title}</p>
            <div className="flex items-start gap-2">
              <pre className="flex-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
                <code>{command.text}</code>
              </pre>
              <CopyButton text={command.text} label={`Copy: ${command.title.toLowerCase()}`} />
            </div>
          </li>
        ))}
      </ul>
      {https ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          <code>server-ca.pem</code> is the CA that issued the server certificate {server ? <strong>{server.name}</strong> : null}
          {server ? ` (issuer ${server.issuer})` : ""}. <code>client.pem</code> and <code>client.key</code> are a client certificate and its key
          {listener.clientAuth.enabled && ca ? (
            <>
              {" "}
              issued by <strong>{ca.name}</strong>
            </>
          ) : null}
          .{listener.clientAuth.enabled ? " Client CA is enabled: the first command is refused." : " Client CA is disabled: both commands are let in."}
        </p>
      ) : null}

      <h3 className="text-base font-semibold">Latest connections</h3>
      <Table caption="Latest connections, newest first" head={["When", "From", "Outcome", "Reason", "TLS", "Client certificate"]}>
        {!connections.data || connections.data.items.length === 0 ? (
          <EmptyRow colSpan={6}>{connections.isPending ? "Loading…" : "No connections yet. Run one of the commands above."}</EmptyRow>
        ) : (
          connections.data.items.map((c, i) => (
            <tr key={`${c.at}-${i}`}>
              <Td className="whitespace-nowrap">
                <time dateTime={c.at}>{new Date(c.at).toLocaleTimeString()}</time>
              </Td>
              <Td>{c.remoteAddress}</Td>
              <Td>{c.outcome === "accepted" ? <Badge tone="green">Accepted</Badge> : <Badge tone="red">Rejected</Badge>}</Td>
              <Td>{c.reason === "ok" && !c.clientCertificate ? "OK (no certificate asked)" : (REASON_LABELS[c.reason] ?? c.reason)}</Td>
              <Td>{c.tlsProtocol ?? "—"}</Td>
              <Td className="break-all text-xs">{c.clientCertificate?.subject ?? "—"}</Td>
            </tr>
          ))
        )}
      </Table>
    </section>
  );
}
