"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { Me } from "@/lib/auth/caller";
import { MeProvider } from "./auth/me";
import { ToastProvider } from "./ui/toast";

export function Providers({ me, children }: { me: Me | null; children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, retry: 1, refetchOnWindowFocus: true } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <MeProvider me={me}>
        <ToastProvider>{children}</ToastProvider>
      </MeProvider>
    </QueryClientProvider>
  );
}
