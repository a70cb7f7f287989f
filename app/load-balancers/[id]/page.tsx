import { LoadBalancerPage } from "@/components/load-balancers/load-balancer-page";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LoadBalancerPage id={id} />;
}
