"use client";
import { Toast as RadixToast } from "radix-ui";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

interface ToastMessage {
  id: number;
  title: string;
  /** warning: done, with something the user should know (a save not yet in force on every node). */
  tone: "success" | "warning" | "error";
}

const toneClasses: Record<ToastMessage["tone"], string> = { success: "bg-green-800", warning: "bg-amber-800", error: "bg-red-800" };

const ToastContext = createContext<(title: string, tone?: ToastMessage["tone"]) => void>(() => {});

/** Announces results ("Listener saved") politely to screen readers and on screen. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const show = useCallback((title: string, tone: ToastMessage["tone"] = "success") => {
    setMessages((list) => [...list, { id: Date.now() + Math.random(), title, tone }]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider duration={4000}>
        {children}
        {messages.map((m) => (
          <RadixToast.Root
            key={m.id}
            // A warning says more and matters more: it stays twice as long.
            duration={m.tone === "success" ? undefined : 8000}
            onOpenChange={(open) => !open && setMessages((list) => list.filter((x) => x.id !== m.id))}
            className={`rounded-md px-4 py-3 text-sm font-medium text-white shadow-lg ${toneClasses[m.tone]}`}
          >
            <RadixToast.Title>{m.title}</RadixToast.Title>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className="fixed bottom-4 right-4 z-[60] flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2" />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
