"use client";
// The signed-in user, handed down from the root layout, and what their role may do. The server
// checks every request itself; this only decides what the console offers.
import { createContext, useContext, type ReactNode } from "react";
import type { Me } from "@/lib/auth/caller";
import { can, whyNot, type Permission } from "@/lib/auth/roles";

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me | null; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me | null {
  return useContext(MeContext);
}

/** Whether the signed-in user may, and if not, the sentence a disabled control shows. */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const me = useMe();
  if (!me) return { allowed: false, reason: "Sign in first." };
  return can(me.role, permission) ? { allowed: true, reason: null } : { allowed: false, reason: whyNot(me.role, permission) };
}
