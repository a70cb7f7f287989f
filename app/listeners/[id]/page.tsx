import { ListenerPage } from "@/components/listeners/listener-page";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ListenerPage id={id} />;
}
