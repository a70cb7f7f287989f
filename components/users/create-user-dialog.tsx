"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { useCreateUser } from "@/components/data/mutations";
import { useServerProblem } from "@/components/data/use-server-problem";
import { Dialog } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { passwordRule, userCreateSchema, usernameRule, type UserCreateInput } from "@/lib/schemas/identity";
import { RoleSelect } from "./role-select";

export function CreateUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const toast = useToast();
  const form = useForm<UserCreateInput>({
    resolver: zodResolver(userCreateSchema),
    // The least a new user can do; the admin raises it on purpose.
    defaultValues: { username: "", password: "", role: "viewer" },
  });
  const problem = useServerProblem(form);
  const role = useWatch({ control: form.control, name: "role" });
  const errors = form.formState.errors;
  const mutation = useCreateUser({
    onSuccess: (user) => {
      toast(`User ${user.username} created`);
      close(false);
      router.push(`/users/${user.id}`);
    },
    onError: (error) => problem.showProblem(error, (field) => (field === "username" || field === "password" || field === "role" ? field : null)),
  });
  const close = (next: boolean) => {
    if (!next) problem.reset();
    onOpenChange(next);
  };

  return (
    <Dialog open={open} onOpenChange={close} title="Create user">
      <form onSubmit={form.handleSubmit((values) => mutation.mutate(values))} className="space-y-4" noValidate>
        <Field id="user-username" label="Username" error={errors.username?.message} hint={usernameRule}>
          <input id="user-username" className={inputClass} autoComplete="off" {...describedBy("user-username", errors.username?.message, true)} {...form.register("username")} />
        </Field>
        <Field id="user-password" label="Password" error={errors.password?.message} hint={`${passwordRule} Tell the user; they can change it on their page.`}>
          <input
            id="user-password"
            type="password"
            className={inputClass}
            autoComplete="new-password"
            {...describedBy("user-password", errors.password?.message, true)}
            {...form.register("password")}
          />
        </Field>
        <Field id="user-role" label="Role" error={errors.role?.message} hint={ROLE_DESCRIPTIONS[role]}>
          <RoleSelect id="user-role" {...describedBy("user-role", errors.role?.message, true)} {...form.register("role")} />
        </Field>
        <FormError message={problem.formError} />
        <FormActions onCancel={() => close(false)} submitLabel="Create user" pendingLabel="Creating…" pending={mutation.isPending} />
      </form>
    </Dialog>
  );
}
