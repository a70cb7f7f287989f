import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentCaller } from "@/lib/auth/page-caller";
import { localPath } from "@/lib/http/local-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = localPath((await searchParams).next);
  if (await currentCaller()) redirect(next);
  return (
    <div className="mx-auto mt-12 max-w-sm space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Sign in to certgate</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          First start? The user is <code>admin</code>; its password is <code>CERTGATE_ADMIN_PASSWORD</code>, or the file{" "}
          <code>initial-admin-password</code> in the data directory.
        </p>
      </div>
      <SignInForm next={next} />
    </div>
  );
}
