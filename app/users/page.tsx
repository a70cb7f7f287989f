import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { pageData } from "@/components/data/server";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { UsersPage } from "@/components/users/users-page";
import { requirePageCaller } from "@/lib/auth/page-caller";
import { can, whyNot } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Users" };

export default async function Page() {
  const caller = await requirePageCaller();
  // The nav offers this page to admins only; someone who types the address learns why it is closed
  // (the API's own 403 sentence) rather than a "not found" for a page every installation has.
  if (!can(caller.role, "administer")) return <ForbiddenPanel what="Users" reason={whyNot(caller.role, "administer")} />;
  return (
    <HydrationBoundary state={await pageData.users()}>
      <UsersPage />
    </HydrationBoundary>
  );
}
