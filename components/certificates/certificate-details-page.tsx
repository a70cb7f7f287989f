"use client";
import { useQuery } from "@tanstack/react-query";
import { PermittedButton } from "@/components/auth/permitted-button";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useDeleteCertificate } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { formatDate } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { QueryState } from "@/components/ui/query-state";
import { useToast } from "@/components/ui/toast";
import { certificateKindLabels } from "@/lib/schemas/certificates";
import { expiryText, readableName } from "./format";
import { CrlSection } from "./crl-section";
import { UsedBy } from "./used-by";
import { WarningsNote } from "./warnings-note";
import { FormActions } from "@/components/ui/form-actions";

const EKU_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "TLS Web Server Authentication",
  "1.3.6.1.5.5.7.3.2": "TLS Web Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "E-mail Protection",
};

export function CertificateDetailsPage({ id }: { id: string }) {
  const query = useQuery(queries.certificate(id));
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState("");
  const [confirming, setConfirming] = useState(false);
  // A refused delete refreshes the certificate: a listener may have started using it meanwhile.
  const remove = useDeleteCertificate(id, {
    onSuccess: () => {
      toast("Certificate deleted");
      router.push("/certificates");
    },
    onError: (e) => {
      setConfirming(false);
      setError(e.message);
    },
  });
  /** In use: say by whom instead of asking; otherwise ask before deleting. */
  const requestDelete = (usedBy: { name: string }[]) => {
    if (usedBy.length > 0) {
      const names = usedBy.map((u) => u.name).join(", ");
      setError(`This certificate is used by listener${usedBy.length === 1 ? "" : "s"} ${names}; remove it from there first, then delete it.`);
      return;
    }
    setError("");
    setConfirming(true);
  };

  return (
    <section className="space-y-4">
      <QueryState query={query}>
        {(c) => {
          const rows: [string, React.ReactNode][] = [
            ["Type", certificateKindLabels[c.kind]],
            ["Subject", readableName(c.subject)],
            ["Issuer", readableName(c.issuer)],
            ["Serial number", <code key="s">{c.serialNumber}</code>],
            ["Valid from", formatDate(c.notBefore)],
            ["Valid until", expiryText(c.notAfter)],
            ["Subject alternative names", c.subjectAltNames.join(", ") || "—"],
            ["Key", c.keyAlgorithm],
            ["Signature algorithm", c.signatureAlgorithm],
            ["Key usage", c.keyUsage.join(", ") || "—"],
            ["Extended key usage", c.extendedKeyUsage.map((o) => EKU_NAMES[o] ?? o).join(", ") || "—"],
            ["Basic constraints", c.isCA ? `CA${c.pathLength !== null ? `, path length ${c.pathLength}` : ""}` : "Not a CA"],
            ["SHA-256 fingerprint", <code key="f" className="break-all text-xs">{c.fingerprintSha256}</code>],
            ["Certificates in object", String(c.certificateCount)],
            ["Private key", c.hasPrivateKey ? "Held (encrypted, never shown)" : "None"],
            ["Used by", <UsedBy key="u" usedBy={c.usedBy} none="No listener" />],
          ];
          return (
            <>
              <nav aria-label="Breadcrumb" className="text-sm">
                <Link href="/certificates" className="text-blue-700 hover:underline dark:text-blue-300">
                  Certificates
                </Link>
                <span aria-hidden="true"> / </span>
                <span aria-current="page">{c.name}</span>
              </nav>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <h1 className="text-2xl font-semibold">{c.name}</h1>
                <div className="flex gap-2">
                  <a
                    className="inline-flex items-center rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                    href={`data:application/x-pem-file;charset=utf-8,${encodeURIComponent(c.pem)}`}
                    download={`${c.name}.pem`}
                  >
                    Download PEM
                  </a>
                  <PermittedButton permission="operate" variant="danger" disabled={remove.isPending} onClick={() => requestDelete(c.usedBy)}>
                    Delete
                  </PermittedButton>
                </div>
              </div>
              <FormError message={error} />
              <WarningsNote warnings={c.warnings} />
              <Dialog
                open={confirming}
                onOpenChange={setConfirming}
                title="Delete certificate?"
                description={`${c.name} will be deleted for good; no listener uses it, and it cannot be picked again.`}
              >
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    remove.mutate();
                  }}
                >
                  <FormActions
                    onCancel={() => setConfirming(false)}
                    submitLabel="Delete certificate"
                    pendingLabel="Deleting…"
                    pending={remove.isPending}
                    variant="danger"
                  />
                </form>
              </Dialog>
              <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[14rem_1fr]">
                {rows.map(([label, value]) => (
                  <div key={label} className="contents">
                    <dt className="font-medium text-slate-700 dark:text-slate-300">{label}</dt>
                    <dd className="break-words">{value}</dd>
                  </div>
                ))}
              </dl>
              {c.kind === "ca" ? <CrlSection certificateId={c.id} certificateName={c.name} /> : null}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
