import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ActivityPage } from "@/components/activity/activity-page";
import { pageData } from "@/components/data/server";

export const metadata: Metadata = { title: "Activity" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const single = (value: string | string[] | undefined) => (typeof value === "string" && value ? value : undefined);

export default async function Page({ searchParams }: Props) {
  const query = await searchParams;
  const filter = { targetType: single(query.targetType), targetId: single(query.targetId) };
  return (
    <HydrationBoundary state={await pageData.activity(filter)}>
      <ActivityPage filter={filter} />
    </HydrationBoundary>
  );
}
