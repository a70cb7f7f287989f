"use client";
// Every change the console makes, as a hook that owns what the change makes stale: callers add
// their own toasts and navigation, and never list query keys.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { revertChangeAction } from "@/app/actions/activity";
import { deleteCertificateAction, uploadCertificateAction } from "@/app/actions/certificates";
import { deleteCrlAction, uploadCrlAction } from "@/app/actions/crls";
import { forgetDataplaneNodeAction } from "@/app/actions/dataplane-nodes";
import { createListenerAction, deleteListenerAction, updateListenerAction } from "@/app/actions/listeners";
import { createLoadBalancerAction, deleteLoadBalancerAction } from "@/app/actions/load-balancers";
import { createPoolAction, deletePoolAction, updatePoolAction } from "@/app/actions/pools";
import { createTokenAction, revokeTokenAction } from "@/app/actions/tokens";
import { bindUserCertificateAction, createUserAction, deleteUserAction, unbindUserCertificateAction, updateUserAction } from "@/app/actions/users";
import type { ActionResult } from "@/lib/actions/run-action";
import type { RevertOutcome } from "@/lib/services/listener-revert";
import type { ApiTokenView, CertificateView, CrlView, ListenerView, LoadBalancerView, PoolView, UserCertificateView, UserView } from "./api";
import { unwrap } from "./problem";
import { queries, queryKeys, rootKeys } from "./queries";

export interface ChangeCallbacks<T, V> {
  onSuccess?: (data: T, variables: V) => unknown;
  onError?: (error: Error, variables: V) => unknown;
}

function useChange<T, V>(
  action: (variables: V) => Promise<ActionResult<T>>,
  stale: (variables: V) => { invalidate: QueryKey[]; remove?: QueryKey[] },
  callbacks: ChangeCallbacks<T, V> = {},
) {
  const client = useQueryClient();
  const invalidate = (keys: QueryKey[]) => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
  return useMutation({
    mutationFn: async (variables: V) => unwrap(await action(variables)),
    onSuccess: async (data, variables) => {
      const { invalidate: keys, remove = [] } = stale(variables);
      // Gone for good: dropped rather than refetched into a 404.
      for (const queryKey of remove) client.removeQueries({ queryKey });
      // Every change writes an audit event, so the activity log is stale too.
      await invalidate([...keys, rootKeys.auditEvents]);
      await callbacks.onSuccess?.(data, variables);
    },
    onError: async (error, variables) => {
      // A refused change often means the page is out of date (someone else changed or deleted it).
      await invalidate(stale(variables).invalidate);
      await callbacks.onError?.(error, variables);
    },
  });
}

export const useCreateLoadBalancer = (callbacks?: ChangeCallbacks<LoadBalancerView, { name: string }>) =>
  useChange(createLoadBalancerAction, () => ({ invalidate: [rootKeys.loadBalancers] }), callbacks);

export const useDeleteLoadBalancer = (id: string, callbacks?: ChangeCallbacks<void, void>) =>
  useChange(
    () => deleteLoadBalancerAction(id),
    // Its listeners go with it, and the certificates they used are free again.
    () => ({ invalidate: [rootKeys.loadBalancers, rootKeys.certificates], remove: [queryKeys.loadBalancer(id), rootKeys.listeners, rootKeys.pools] }),
    callbacks,
  );

/** Creating a listener changes its load balancer (count, status) and the certificates' and pools' "used by". */
export const useCreateListener = (loadBalancerId: string, callbacks?: ChangeCallbacks<ListenerView, unknown>) =>
  useChange(
    (input: unknown) => createListenerAction(loadBalancerId, input),
    () => ({ invalidate: [rootKeys.loadBalancers, rootKeys.certificates, rootKeys.pools] }),
    callbacks,
  );

export interface ListenerUpdate {
  /** The version the form was opened with: a stale save is refused with a conflict. */
  expectedVersion: number;
  patch: unknown;
}

export const useUpdateListener = (id: string, callbacks?: ChangeCallbacks<ListenerView, ListenerUpdate>) =>
  useChange(
    ({ expectedVersion, patch }: ListenerUpdate) => updateListenerAction(id, expectedVersion, patch),
    () => ({ invalidate: [queryKeys.listener(id), rootKeys.loadBalancers, rootKeys.certificates, rootKeys.pools] }),
    callbacks,
  );

export const useDeleteListener = (id: string, callbacks?: ChangeCallbacks<void, void>) =>
  useChange(
    () => deleteListenerAction(id),
    () => ({ invalidate: [rootKeys.loadBalancers, rootKeys.certificates, rootKeys.pools], remove: [queryKeys.listener(id)] }),
    callbacks,
  );

export interface RevertRequest {
  eventId: string;
  /** Overwrite the later values the last answer listed (its listenerVersion is `expectedVersion`). */
  confirmOverwrite: boolean;
  expectedVersion: number | null;
}

/** A revert saves a listener as an edit does: the same views are stale. */
export const useRevertChange = (callbacks?: ChangeCallbacks<RevertOutcome, RevertRequest>) =>
  useChange(
    ({ eventId, confirmOverwrite, expectedVersion }: RevertRequest) => revertChangeAction(eventId, confirmOverwrite, expectedVersion),
    () => ({ invalidate: [rootKeys.listeners, rootKeys.loadBalancers, rootKeys.certificates, rootKeys.pools] }),
    callbacks,
  );

export const useCreatePool = (loadBalancerId: string, callbacks?: ChangeCallbacks<PoolView, unknown>) =>
  useChange((input: unknown) => createPoolAction(loadBalancerId, input), () => ({ invalidate: [rootKeys.pools] }), callbacks);

export interface PoolUpdate {
  /** The version the dialog was opened with: a stale save is refused with a conflict. */
  expectedVersion: number;
  patch: unknown;
}

/** A pool's members and checks show on the listener pages that forward to it too. */
export const useUpdatePool = (id: string, callbacks?: ChangeCallbacks<PoolView, PoolUpdate>) =>
  useChange(
    ({ expectedVersion, patch }: PoolUpdate) => updatePoolAction(id, expectedVersion, patch),
    () => ({ invalidate: [rootKeys.pools, rootKeys.listeners] }),
    callbacks,
  );

export const useDeletePool = (id: string, callbacks?: ChangeCallbacks<void, void>) =>
  useChange(() => deletePoolAction(id), () => ({ invalidate: [rootKeys.pools], remove: [queryKeys.pool(id)] }), callbacks);

/** FormData: name, kind, file | pem, keyFile | keyPem, passphrase (app/actions/certificates.ts). */
export const useUploadCertificate = (callbacks?: ChangeCallbacks<CertificateView, FormData>) =>
  useChange(uploadCertificateAction, () => ({ invalidate: [rootKeys.certificates] }), callbacks);

export const useDeleteCertificate = (id: string, callbacks?: ChangeCallbacks<void, void>) =>
  useChange(() => deleteCertificateAction(id), () => ({ invalidate: [rootKeys.certificates], remove: [queryKeys.certificate(id)] }), callbacks);

/** A CRL change alters the certificate's flags and the expiry banner (the certificate list) too. */
export const useUploadCrl = (certificateId: string, callbacks?: ChangeCallbacks<CrlView, FormData>) =>
  useChange((form: FormData) => uploadCrlAction(certificateId, form), () => ({ invalidate: [rootKeys.certificates] }), callbacks);

export const useDeleteCrl = (certificateId: string, callbacks?: ChangeCallbacks<void, string>) =>
  useChange((crlId: string) => deleteCrlAction(certificateId, crlId), () => ({ invalidate: [rootKeys.certificates] }), callbacks);

export const useCreateUser = (callbacks?: ChangeCallbacks<UserView, unknown>) =>
  useChange(createUserAction, () => ({ invalidate: [rootKeys.users] }), callbacks);

/** Role, disabled, password, client-certificate sign-in: the users list shows most of them too. */
export const useUpdateUser = (id: string, callbacks?: ChangeCallbacks<UserView, Record<string, unknown>>) =>
  useChange((patch: Record<string, unknown>) => updateUserAction(id, patch), () => ({ invalidate: [rootKeys.users] }), callbacks);

export const useDeleteUser = (id: string, callbacks?: ChangeCallbacks<void, void>) =>
  useChange(() => deleteUserAction(id), () => ({ invalidate: [queryKeys.users()], remove: [queryKeys.user(id)] }), callbacks);

/** FormData `file`: a chosen file, or pasted PEM as text (app/actions/users.ts). */
export const useBindUserCertificate = (userId: string, callbacks?: ChangeCallbacks<UserCertificateView, FormData>) =>
  useChange((form: FormData) => bindUserCertificateAction(userId, form), () => ({ invalidate: [queryKeys.userCertificates(userId)] }), callbacks);

export const useUnbindUserCertificate = (userId: string, callbacks?: ChangeCallbacks<void, string>) =>
  useChange(
    (certificateId: string) => unbindUserCertificateAction(userId, certificateId),
    () => ({ invalidate: [queryKeys.userCertificates(userId)] }),
    callbacks,
  );

export const useCreateToken = (callbacks?: ChangeCallbacks<ApiTokenView & { token: string }, unknown>) =>
  useChange(createTokenAction, () => ({ invalidate: [rootKeys.tokens] }), callbacks);

export const useRevokeToken = (callbacks?: ChangeCallbacks<void, string>) =>
  useChange((id: string) => revokeTokenAction(id), () => ({ invalidate: [rootKeys.tokens] }), callbacks);

/** A forgotten node leaves the Data plane page (and the banner's "is anything running"). */
export const useForgetDataplaneNode = (callbacks?: ChangeCallbacks<void, string>) =>
  useChange((id: string) => forgetDataplaneNodeAction(id), () => ({ invalidate: [rootKeys.dataplane] }), callbacks);

/** After a conflict: the listener as saved now, with every view of it refreshed. */
export function useReloadListener(id: string) {
  const client = useQueryClient();
  return async () => {
    try {
      const latest = await client.fetchQuery({ ...queries.listener(id), staleTime: 0 });
      await client.invalidateQueries({ queryKey: rootKeys.loadBalancers });
      return latest;
    } catch {
      return null;
    }
  };
}
