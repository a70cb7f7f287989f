"use client";
import type { CertificateView } from "@/components/data/api";
import { Checkbox } from "@/components/ui/checkbox";

/** Up to `max` pinned client certificates, with a running count and a clear stop at the limit. */
export function TrustedCertificatesPicker({
  certificates,
  value,
  onChange,
  max,
  error,
}: {
  certificates: CertificateView[];
  value: string[];
  onChange: (ids: string[]) => void;
  max: number;
  error?: string;
}) {
  const atLimit = value.length >= max;
  const toggle = (id: string, checked: boolean) => onChange(checked ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset className="space-y-2" aria-describedby="trusted-count">
      <legend className="text-sm font-medium">Trusted client certificates</legend>
      <p id="trusted-count" className="text-xs text-slate-600 dark:text-slate-400">
        {value.length} of {max} selected. Only these exact certificates are let in{certificates.length ? "" : " — upload client certificates on the Certificates page"}.
      </p>
      {atLimit ? (
        <p className="text-xs font-medium text-amber-800 dark:text-amber-300">You can trust at most {max} client certificates; clear one to pick another.</p>
      ) : null}
      <ul className="max-h-40 space-y-1 overflow-y-auto">
        {certificates.map((c) => {
          const checked = value.includes(c.id);
          return (
            <li key={c.id} className="flex items-center gap-2">
              <Checkbox id={`trusted-${c.id}`} checked={checked} disabled={!checked && atLimit} onCheckedChange={(v) => toggle(c.id, v)} />
              <label htmlFor={`trusted-${c.id}`} className="text-sm">
                {c.name} <span className="text-xs text-slate-500 dark:text-slate-400">({c.subject})</span>
              </label>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
