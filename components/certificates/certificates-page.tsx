"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { PermittedButton } from "@/components/auth/permitted-button";
import Link from "next/link";
import { useState } from "react";
import type { CertificateView } from "@/components/data/api";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { Field } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { QueryState } from "@/components/ui/query-state";
import { Select } from "@/components/ui/select";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { certificateKindLabels, certificateKinds, type CertificateKindInput } from "@/lib/schemas/certificates";
import { commonName, daysLeft, expiryText } from "./format";
import { UploadCertificateDialog } from "./upload-certificate-dialog";
import { UsedBy } from "./used-by";
import { WarningsNote } from "./warnings-note";

export function CertificatesPage() {
  const [uploading, setUploading] = useState(false);
  const [kind, setKind] = useState<CertificateKindInput | "">("");
  // Warnings outlive the toast: they stay until dismissed, next to the list that now holds the upload.
  const [warned, setWarned] = useState<CertificateView | null>(null);
  const query = useInfiniteQuery(queries.certificatePages(kind || undefined));

  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Certificates</h1>
        <PermittedButton permission="operate" showReason variant="primary" onClick={() => setUploading(true)}>
          Upload certificate
        </PermittedButton>
      </div>
      {warned ? (
        <WarningsNote
          title={
            <>
              <Link href={`/certificates/${warned.id}`} className="underline">
                {warned.name}
              </Link>{" "}
              was uploaded with warnings
            </>
          }
          warnings={warned.warnings}
          onDismiss={() => setWarned(null)}
        />
      ) : null}
      <div className="max-w-xs">
        <Field id="certificate-filter" label="Filter by type">
          <Select id="certificate-filter" value={kind} onChange={(e) => setKind(e.target.value as CertificateKindInput | "")}>
            <option value="">All types</option>
            {certificateKinds.map((k) => (
              <option key={k} value={k}>
                {certificateKindLabels[k]}s
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <QueryState query={query}>
        {(data) => {
          const certificates = data.pages.flatMap((page) => page.items);
          return (
          <Table caption="Certificates" head={["Name", "Type", "Subject CN", "Issuer", "Expires", "Used by"]}>
            {certificates.length === 0 ? (
              <EmptyRow colSpan={6}>No certificates yet. Upload one to use it on a listener.</EmptyRow>
            ) : (
              certificates.map((c) => (
                <tr key={c.id}>
                  <Td label="Name">
                    <Link href={`/certificates/${c.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                      {c.name}
                    </Link>{" "}
                    {c.warnings.length ? <Badge tone="amber">{c.warnings.length === 1 ? "1 warning" : `${c.warnings.length} warnings`}</Badge> : null}
                  </Td>
                  <Td label="Type">{certificateKindLabels[c.kind]}</Td>
                  <Td label="Subject CN">{commonName(c.subject)}</Td>
                  <Td label="Issuer">{commonName(c.issuer)}</Td>
                  <Td label="Expires">
                    {expiryText(c.notAfter)} {daysLeft(c.notAfter) < 30 ? <Badge tone="amber">Expiring</Badge> : null}
                  </Td>
                  <Td label="Used by">
                    <UsedBy usedBy={c.usedBy} />
                  </Td>
                </tr>
              ))
            )}
          </Table>
          );
        }}
      </QueryState>
      <LoadMore query={query} what="certificates" />
      <UploadCertificateDialog
        open={uploading}
        onOpenChange={setUploading}
        onUploaded={(certificate) => setWarned(certificate.warnings.length ? certificate : null)}
      />
    </section>
  );
}
