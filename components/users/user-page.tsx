"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMe } from "@/components/auth/me";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { QueryState } from "@/components/ui/query-state";
import { Tabs } from "@/components/ui/tabs";
import { can } from "@/lib/auth/roles";
import { ApiTokensTab } from "./api-tokens-tab";
import { AuthenticationTab, type ApiPort } from "./authentication-tab";
import { UserDetailsTab } from "./user-details-tab";

/** A user's page: any user's for an admin, your own ("your account") for everyone. */
export function UserPage({ id, apiPort }: { id: string; apiPort: ApiPort }) {
  const me = useMe();
  const query = useQuery(queries.user(id));
  const self = me?.id === id;
  const admin = me ? can(me.role, "administer") : false;
  return (
    <section className="space-y-4">
      <QueryState query={query}>
        {(user) => (
          <>
            <nav aria-label="Breadcrumb" className="text-sm">
              {admin ? (
                <Link href="/users" className="text-blue-700 hover:underline dark:text-blue-300">
                  Users
                </Link>
              ) : (
                <span>Your account</span>
              )}
              <span aria-hidden="true"> / </span>
              <span aria-current="page">{user.username}</span>
            </nav>
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold">{user.username}</h1>
              <Badge tone="blue">{user.role}</Badge>
              {user.disabled ? <Badge tone="red">Disabled</Badge> : null}
              {self ? <span className="text-sm text-slate-600 dark:text-slate-400">This is you.</span> : null}
            </div>
            <Tabs
              label="User sections"
              defaultValue="details"
              tabs={[
                { value: "details", label: "Details", content: <UserDetailsTab user={user} self={self} admin={admin} /> },
                { value: "authentication", label: "Authentication", content: <AuthenticationTab user={user} apiPort={apiPort} /> },
                // Tokens act as the user who made them, so only that user sees and makes them here.
                ...(self ? [{ value: "tokens", label: "API tokens", content: <ApiTokensTab /> }] : []),
              ]}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
