"use client";
import { useQueries } from "@tanstack/react-query";
import type { CertificateDetailsView } from "./api";
import { queries } from "./queries";

/**
 * The certificates a page mentions (by id), read one by one under the same keys as their details
 * page (the server prefetched them with the page), so no page loads every certificate to show a
 * few names. Ids of deleted certificates are simply absent.
 */
export function useCertificatesById(ids: (string | null | undefined)[]): Map<string, CertificateDetailsView> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const results = useQueries({ queries: unique.map((id) => ({ ...queries.certificate(id), staleTime: 30_000, retry: false })) });
  const found = new Map<string, CertificateDetailsView>();
  unique.forEach((id, i) => {
    const data = results[i]?.data;
    if (data) found.set(id, data);
  });
  return found;
}

/** `useCertificatesById` for pages that only show names. */
export function useCertificateNames(ids: (string | null | undefined)[]): (id: string | null | undefined) => string | undefined {
  const byId = useCertificatesById(ids);
  return (id) => (id ? byId.get(id)?.name : undefined);
}
