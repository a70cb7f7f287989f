import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { DataplanePage } from "@/components/dataplane/dataplane-page";
import { pageData } from "@/components/data/server";

export const metadata: Metadata = { title: "Data plane" };

export default async function Page() {
  return (
    <HydrationBoundary state={await pageData.dataplaneNodes()}>
      <DataplanePage />
    </HydrationBoundary>
  );
}
