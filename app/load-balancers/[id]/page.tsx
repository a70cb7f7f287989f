import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { loadLoadBalancer, pageData } from "@/components/data/server";
import { LoadBalancerPage } from "@/components/load-balancers/load-balancer-page";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lb = await loadLoadBalancer((await params).id);
  return { title: `${lb.name} · Load balancers` };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await pageData.loadBalancer(id)}>
      <LoadBalancerPage id={id} />
    </HydrationBoundary>
  );
}
