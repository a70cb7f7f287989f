"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import type { UserView } from "@/components/data/api";
import { useUpdateUser } from "@/components/data/mutations";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { ROLE_DESCRIPTIONS, type Role } from "@/lib/auth/roles";
import { passwordRule, passwordSchema } from "@/lib/schemas/identity";
import { DeleteUserDialog } from "./delete-user-dialog";
import { RoleSelect } from "./role-select";

const sectionClass = "space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900";

export function UserDetailsTab({ user, self, admin }: { user: UserView; self: boolean; admin: boolean }) {
  return (
    <div className="max-w-2xl space-y-4">
      <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
        <dt className="font-medium">Username</dt>
        <dd>{user.username}</dd>
        <dt className="font-medium">Role</dt>
        <dd>
          {user.role} <span className="text-slate-600 dark:text-slate-400">({ROLE_DESCRIPTIONS[user.role]})</span>
        </dd>
        <dt className="font-medium">Status</dt>
        <dd>{user.disabled ? "Disabled: cannot sign in or call the API" : "Enabled"}</dd>
        <dt className="font-medium">Created</dt>
        <dd>
          <DateTime value={user.createdAt} />
        </dd>
        <dt className="font-medium">Last sign-in</dt>
        <dd>{user.lastSignInAt ? <DateTime value={user.lastSignInAt} /> : "Never"}</dd>
      </dl>
      {admin ? <RoleSection user={user} self={self} /> : null}
      {admin ? <StatusSection user={user} self={self} /> : null}
      {self ? <ChangePasswordSection user={user} /> : admin ? <ResetPasswordSection user={user} /> : null}
      {admin ? <DeleteSection user={user} self={self} /> : null}
    </div>
  );
}

/** After changing yourself, the layout's idea of you (role, nav) is read again. */
function useAfterChange(self: boolean) {
  const router = useRouter();
  return () => {
    if (self) router.refresh();
  };
}

function RoleSection({ user, self }: { user: UserView; self: boolean }) {
  const toast = useToast();
  const refresh = useAfterChange(self);
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState("");
  const mutation = useUpdateUser(user.id, {
    onSuccess: (saved) => {
      toast(`${saved.username} is now ${saved.role === "admin" ? "an" : "a"} ${saved.role}`);
      refresh();
    },
    onError: (e) => setError(e.message),
  });
  return (
    <form
      className={sectionClass}
      aria-labelledby="role-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setError("");
        mutation.mutate({ role });
      }}
    >
      <h2 id="role-heading" className="text-base font-semibold">
        Role
      </h2>
      <Field id="user-role-change" label="Role" error={error} hint={ROLE_DESCRIPTIONS[role]}>
        <RoleSelect id="user-role-change" value={role} onChange={(e) => setRole(e.target.value as Role)} {...describedBy("user-role-change", error, true)} />
      </Field>
      <Button type="submit" variant="primary" disabled={role === user.role || mutation.isPending}>
        {mutation.isPending ? "Changing…" : "Change role"}
      </Button>
    </form>
  );
}

function StatusSection({ user, self }: { user: UserView; self: boolean }) {
  const toast = useToast();
  const refresh = useAfterChange(self);
  const [error, setError] = useState("");
  const mutation = useUpdateUser(user.id, {
    onSuccess: (saved) => {
      toast(saved.disabled ? `${saved.username} is disabled and signed out everywhere` : `${saved.username} is enabled`);
      refresh();
    },
    onError: (e) => setError(e.message),
  });
  return (
    <section className={sectionClass} aria-labelledby="status-heading">
      <h2 id="status-heading" className="text-base font-semibold">
        Status
      </h2>
      <p id="status-hint" className="text-sm text-slate-700 dark:text-slate-300">
        {user.disabled
          ? "Disabled: the user cannot sign in, and their API tokens and client certificates are refused."
          : "Enabled. Disabling ends the user's sessions at once and refuses their API tokens and client certificates."}
      </p>
      <Button
        variant={user.disabled ? "primary" : "danger"}
        aria-describedby={error ? "status-error" : "status-hint"}
        disabled={mutation.isPending}
        onClick={() => {
          setError("");
          mutation.mutate({ disabled: !user.disabled });
        }}
      >
        {user.disabled ? "Enable user" : "Disable user"}
      </Button>
      {error ? (
        <p id="status-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </section>
  );
}

const resetSchema = z.object({ password: passwordSchema });
type ResetValues = z.infer<typeof resetSchema>;

function ResetPasswordSection({ user }: { user: UserView }) {
  const toast = useToast();
  const form = useForm<ResetValues>({ resolver: zodResolver(resetSchema), defaultValues: { password: "" } });
  const problem = useServerProblem(form);
  const mutation = useUpdateUser(user.id, {
    onSuccess: () => {
      toast(`Password of ${user.username} reset; their sessions have ended`);
      problem.reset();
    },
    onError: (error) => problem.showProblem(error, (field) => (field === "password" ? "password" : null)),
  });
  const error = form.formState.errors.password?.message;
  return (
    <form className={sectionClass} aria-labelledby="reset-heading" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} noValidate>
      <h2 id="reset-heading" className="text-base font-semibold">
        Reset password
      </h2>
      <Field id="reset-password" label="New password" error={error} hint={`${passwordRule} The user is signed out everywhere; tell them the new one.`}>
        <input id="reset-password" type="password" autoComplete="new-password" className={inputClass} {...describedBy("reset-password", error, true)} {...form.register("password")} />
      </Field>
      <FormError message={problem.formError} />
      <Button type="submit" variant="primary" disabled={mutation.isPending}>
        {mutation.isPending ? "Resetting…" : "Reset password"}
      </Button>
    </form>
  );
}

const changeSchema = z.object({ currentPassword: z.string().min(1, "Enter your current password."), password: passwordSchema });
type ChangeValues = z.infer<typeof changeSchema>;

function ChangePasswordSection({ user }: { user: UserView }) {
  const toast = useToast();
  const form = useForm<ChangeValues>({ resolver: zodResolver(changeSchema), defaultValues: { currentPassword: "", password: "" } });
  const problem = useServerProblem(form);
  const mutation = useUpdateUser(user.id, {
    onSuccess: () => {
      toast("Password changed; your other sessions have ended");
      problem.reset();
    },
    onError: (error) => problem.showProblem(error, (field) => (field === "currentPassword" || field === "password" ? field : null)),
  });
  const errors = form.formState.errors;
  return (
    <form className={sectionClass} aria-labelledby="change-heading" onSubmit={form.handleSubmit((values) => mutation.mutate(values))} noValidate>
      <h2 id="change-heading" className="text-base font-semibold">
        Change password
      </h2>
      <Field id="current-password" label="Current password" error={errors.currentPassword?.message}>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          className={inputClass}
          {...describedBy("current-password", errors.currentPassword?.message)}
          {...form.register("currentPassword")}
        />
      </Field>
      <Field id="new-password" label="New password" error={errors.password?.message} hint={`${passwordRule} Your other sessions end; this one stays.`}>
        <input id="new-password" type="password" autoComplete="new-password" className={inputClass} {...describedBy("new-password", errors.password?.message, true)} {...form.register("password")} />
      </Field>
      <FormError message={problem.formError} />
      <Button type="submit" variant="primary" disabled={mutation.isPending}>
        {mutation.isPending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

function DeleteSection({ user, self }: { user: UserView; self: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <section className={sectionClass} aria-labelledby="delete-heading">
      <h2 id="delete-heading" className="text-base font-semibold">
        Delete user
      </h2>
      <p id="delete-hint" className="text-sm text-slate-700 dark:text-slate-300">
        {self
          ? "You can't delete yourself; ask another admin, or disable the account instead."
          : "Deleting removes the user, their sessions, API tokens and client certificates. Activity keeps their name."}
      </p>
      <Button variant="danger" disabled={self} aria-describedby="delete-hint" onClick={() => setOpen(true)}>
        Delete user
      </Button>
      {self ? null : <DeleteUserDialog user={user} open={open} onOpenChange={setOpen} />}
    </section>
  );
}
