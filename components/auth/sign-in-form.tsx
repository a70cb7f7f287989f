"use client";
import { useForm } from "react-hook-form";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { signIn } from "@/components/data/api";

interface SignInValues {
  username: string;
  password: string;
}

export function SignInForm({ next }: { next: string }) {
  const form = useForm<SignInValues>({ defaultValues: { username: "", password: "" } });
  const [error, setError] = useState("");
  const [pending, setPending] = useState(false);
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setPending(true);
    setError("");
    try {
      await signIn(values);
      // A full load: the layout renders the console's navigation for the signed-in user.
      window.location.assign(next);
    } catch (problem) {
      setError((problem as Error).message);
      setPending(false);
    }
  });

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900" noValidate>
      <Field id="username" label="Username" error={errors.username?.message}>
        <input
          id="username"
          className={inputClass}
          autoComplete="username"
          autoFocus
          {...describedBy("username", errors.username?.message)}
          {...form.register("username", { required: "Enter your username." })}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        <input
          id="password"
          type="password"
          className={inputClass}
          autoComplete="current-password"
          {...describedBy("password", errors.password?.message)}
          {...form.register("password", { required: "Enter your password." })}
        />
      </Field>
      <FormError message={error} />
      <Button type="submit" variant="primary" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
