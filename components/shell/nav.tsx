"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

// Each section and the paths below it: a listener's page belongs to Load Balancers.
const links = [
  { href: "/load-balancers", label: "Load Balancers", sections: ["/load-balancers", "/listeners"] },
  { href: "/certificates", label: "Certificates", sections: ["/certificates"] },
  { href: "/activity", label: "Activity", sections: ["/activity"] },
];

const isIn = (pathname: string, section: string) => pathname === section || pathname.startsWith(`${section}/`);

export function Nav() {
  const pathname = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/load-balancers" className="text-base font-bold tracking-tight">
          certgate
        </Link>
        <nav aria-label="Main">
          <ul className="flex flex-wrap gap-1">
            {links.map((link) => {
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
      </div>
    </header>
  );
}
