"use client";
import { useState } from "react";
import type { CertificateView } from "@/components/data/api";
import { Checkbox } from "@/components/ui/checkbox";
import { SearchInput } from "@/components/ui/search-input";
import { clientChoices } from "./certificate-choices";

/** Past this many, the list offers a filter box. */
export const FILTER_FROM = 8;
/** At most this many rows are drawn; the filter finds the rest. */
const SHOWN_AT_MOST = 100;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/**
 * Up to `max` pinned client certificates among any number: how many are chosen and how many
 * exist, a filter, and those the chosen CA issued listed first.
 */
export function TrustedCertificatesPicker({
  idPrefix,
  certificates,
  ca,
  value,
  onChange,
  max,
  error,
}: {
  idPrefix: string;
  certificates: CertificateView[];
  /** The chosen Client CA, if any: the client certificates it issued are listed first. */
  ca?: CertificateView;
  value: string[];
  onChange: (ids: string[]) => void;
  max: number;
  error?: string;
}) {
  const [filter, setFilter] = useState("");
  const atLimit = value.length >= max;
  const toggle = (id: string, checked: boolean) => onChange(checked ? [...value, id] : value.filter((v) => v !== id));
  const choices = clientChoices(certificates, { chosen: value, ca, filter });
  const shown = choices.slice(0, SHOWN_AT_MOST);
  const countId = `${idPrefix}-trusted-count`;
  const listId = `${idPrefix}-trusted-list`;

  return (
    <fieldset className="space-y-2" aria-describedby={countId}>
      <legend className="text-sm font-medium">Trusted client certificates</legend>
      <p id={countId} className="text-xs text-slate-600 dark:text-slate-400">
        <span className="font-medium">
          {value.length} of {max} chosen · {plural(certificates.length, "client certificate")}
        </span>
        . Only these exact certificates are let in
        {certificates.length ? "" : " — upload client certificates on the Certificates page"}.
      </p>
      {atLimit ? (
        <p className="text-xs font-medium text-amber-800 dark:text-amber-300">You can trust at most {max} client certificates; clear one to pick another.</p>
      ) : null}
      {certificates.length > FILTER_FROM ? (
        <SearchInput
          id={`${idPrefix}-trusted-filter`}
          label="Filter client certificates"
          placeholder="Filter by name, subject or issuer"
          value={filter}
          onChange={setFilter}
          controls={listId}
        />
      ) : null}
      <ul id={listId} className="max-h-48 space-y-1 overflow-y-auto">
        {shown.map(({ certificate: c, chosen, issuedByCa }) => (
          <li key={c.id} className="flex items-center gap-2">
            <Checkbox id={`${idPrefix}-trusted-${c.id}`} checked={chosen} disabled={!chosen && atLimit} onCheckedChange={(v) => toggle(c.id, v)} />
            <label htmlFor={`${idPrefix}-trusted-${c.id}`} className="text-sm">
              {c.name} <span className="text-xs text-slate-500 dark:text-slate-400">({c.subject})</span>
              {issuedByCa && ca ? <span className="ml-1 text-xs text-green-800 dark:text-green-300">issued by {ca.name}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      {filter && choices.every((c) => c.chosen) ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">No client certificate matches “{filter}”.</p>
      ) : null}
      {choices.length > shown.length ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Showing {shown.length} of {choices.length}; type in the filter to find the others.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
