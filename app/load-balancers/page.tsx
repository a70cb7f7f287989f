import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { pageData } from "@/components/data/server";
import { LoadBalancersPage } from "@/components/load-balancers/load-balancers-page";

export const metadata: Metadata = { title: "Load balancers" };

export default async function Page() {
  return (
    <HydrationBoundary state={await pageData.loadBalancers()}>
      <LoadBalancersPage />
    </HydrationBoundary>
  );
}
