"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useMe } from "@/components/auth/me";
import { queries } from "@/components/data/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { CreateUserDialog } from "./create-user-dialog";

/** Admins only (app/users/page.tsx shows others why not). */
export function UsersPage() {
  const [creating, setCreating] = useState(false);
  const me = useMe();
  const query = useQuery(queries.users());
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create user
        </Button>
      </div>
      <QueryState query={query}>
        {(data) => (
          <Table caption="Users" head={["Username", "Role", "Status", "Client certificate sign-in", "Last sign-in"]}>
            {data.items.length === 0 ? (
              <EmptyRow colSpan={5}>No users.</EmptyRow>
            ) : (
              data.items.map((user) => (
                <tr key={user.id}>
                  <Td label="Username">
                    <Link href={`/users/${user.id}`} className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-300">
                      {user.username}
                    </Link>
                    {user.id === me?.id ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">(you)</span> : null}
                  </Td>
                  <Td label="Role">{user.role}</Td>
                  <Td label="Status">{user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}</Td>
                  <Td label="Client certificate sign-in">{user.clientCertificateAuth ? <Badge tone="blue">On</Badge> : <Badge tone="slate">Off</Badge>}</Td>
                  <Td label="Last sign-in">{user.lastSignInAt ? <DateTime value={user.lastSignInAt} /> : <span className="text-slate-600 dark:text-slate-400">Never</span>}</Td>
                </tr>
              ))
            )}
          </Table>
        )}
      </QueryState>
      <CreateUserDialog open={creating} onOpenChange={setCreating} />
    </section>
  );
}
