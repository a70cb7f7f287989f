import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { loadListener, loadLoadBalancer, pageData } from "@/components/data/server";
import { ListenerPage } from "@/components/listeners/listener-page";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const listener = await loadListener((await params).id);
  const lb = await loadLoadBalancer(listener.loadBalancerId);
  return { title: `${listener.name} · ${lb.name} · Load balancers` };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await pageData.listener(id)}>
      <ListenerPage id={id} />
    </HydrationBoundary>
  );
}
