"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMe } from "@/components/auth/me";
import { signOut } from "@/components/data/api";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/auth/roles";

// Each section and the paths below it: a listener's page belongs to Load Balancers.
const links = [
  { href: "/load-balancers", label: "Load Balancers", sections: ["/load-balancers", "/listeners"] },
  { href: "/certificates", label: "Certificates", sections: ["/certificates"] },
  { href: "/dataplane", label: "Data plane", sections: ["/dataplane"] },
  { href: "/activity", label: "Activity", sections: ["/activity"] },
];
const usersLink = { href: "/users", label: "Users", sections: ["/users"] };

const isIn = (pathname: string, section: string) => pathname === section || pathname.startsWith(`${section}/`);

export function Nav() {
  const pathname = usePathname();
  const me = useMe();
  const shown = me && can(me.role, "administer") ? [...links, usersLink] : links;
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/load-balancers" className="text-base font-bold tracking-tight">
          certgate
        </Link>
        <nav aria-label="Main">
          <ul className="flex flex-wrap gap-1">
            {shown.map((link) => {
              const current = link.sections.some((section) => isIn(pathname, section));
              return (
                <li key={link.href}>
                  <Link
                    href={link.href}
                    aria-current={current ? "page" : undefined}
                    className={`rounded-md px-2.5 py-1.5 text-sm font-medium ${current ? "bg-blue-50 text-blue-800 dark:bg-slate-800 dark:text-blue-300" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
                  >
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        {me ? (
          <div className="ml-auto flex items-center gap-2 text-sm">
            <Link href={`/users/${me.id}`} className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
              <span className="font-medium">{me.username}</span> <span className="text-slate-600 dark:text-slate-400">({me.role})</span>
            </Link>
            <Button
              variant="ghost"
              onClick={async () => {
                await signOut().catch(() => undefined);
                // A full load drops every cached answer of the signed-out user.
                // eslint-disable-next-line @next/next/no-location-assign-relative-destination
                window.location.assign("/sign-in");
              }}
            >
              Sign out
            </Button>
          </div>
        ) : null}
      </div>
    </header>
  );
}
