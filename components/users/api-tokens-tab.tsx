"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiTokenView } from "@/components/data/api";
import { useRevokeToken } from "@/components/data/mutations";
import { queries } from "@/components/data/queries";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { QueryState } from "@/components/ui/query-state";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { CreateTokenDialog } from "./create-token-dialog";

/** The signed-in user's own tokens (only on their own page): each acts as them, with their role. */
export function ApiTokensTab() {
  const query = useQuery(queries.tokens());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">API tokens</h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            A script sends one as <code>Authorization: Bearer &lt;token&gt;</code> and acts as you, with your role.
          </p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create token
        </Button>
      </div>
      <QueryState query={query}>
        {(data) => (
          <Table caption="API tokens" head={["Name", "Created", "Expires", "Last used", "Actions"]}>
            {data.items.length === 0 ? (
              <EmptyRow colSpan={5}>No API tokens yet.</EmptyRow>
            ) : (
              data.items.map((token) => (
                <tr key={token.id}>
                  <Td label="Name">
                    <span className="font-medium">{token.name}</span>
                  </Td>
                  <Td label="Created">
                    <DateTime value={token.createdAt} />
                  </Td>
                  <Td label="Expires">
                    <DateTime value={token.expiresAt} />
                  </Td>
                  <Td label="Last used">{token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : "Never"}</Td>
                  <Td label="Actions">
                    <Button variant="danger" aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                      Revoke
                    </Button>
                  </Td>
                </tr>
              ))
            )}
          </Table>
        )}
      </QueryState>
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} />
    </div>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: ApiTokenView | null; onClose: () => void }) {
  const toast = useToast();
  const [error, setError] = useState("");
  const mutation = useRevokeToken({
    onSuccess: () => {
      toast(`API token ${token?.name ?? ""} revoked`);
      setError("");
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  return (
    <Dialog
      open={token !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError("");
          onClose();
        }
      }}
      title="Revoke API token"
      description={`Scripts using ${token?.name ?? "this token"} are refused from their next request on. This cannot be undone.`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (token) mutation.mutate(token.id);
        }}
      >
        <FormError message={error} />
        <FormActions onCancel={onClose} submitLabel="Revoke" pendingLabel="Revoking…" pending={mutation.isPending} variant="danger" />
      </form>
    </Dialog>
  );
}
