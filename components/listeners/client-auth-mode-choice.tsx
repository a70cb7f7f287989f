"use client";
import type { ClientAuthMode } from "@/lib/dataplane/types";

/** Each mode with the one sentence that says what it does (docs/api.md, clientAuth.mode). */
export const CLIENT_AUTH_MODE_CHOICES: readonly { mode: ClientAuthMode; label: string; description: string }[] = [
  { mode: "required", label: "Required", description: "Required: clients without a valid certificate are refused." },
  { mode: "optional", label: "Optional", description: "Optional: every client is let in; the verdict is passed on in X-Client-Cert-Verify." },
  {
    mode: "report",
    label: "Report only",
    description: "Report only: certificates are checked as in Required, nobody is refused, and connections Required would refuse are logged as would-be refusals.",
  },
];

/** How the listener page names a mode. */
export function clientAuthModeLabel(mode: ClientAuthMode): string {
  return CLIENT_AUTH_MODE_CHOICES.find((choice) => choice.mode === mode)?.label ?? mode;
}

/**
 * The verify mode as a radio group (every choice always visible, so the difference is read
 * before choosing), each radio described by its sentence.
 */
export function ClientAuthModeChoice({ idPrefix, value, onChange }: { idPrefix: string; value: ClientAuthMode; onChange: (mode: ClientAuthMode) => void }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Client certificate mode</legend>
      {CLIENT_AUTH_MODE_CHOICES.map((choice) => {
        const id = `${idPrefix}-client-auth-mode-${choice.mode}`;
        return (
          <div key={choice.mode} className="flex items-start gap-3">
            <input
              type="radio"
              id={id}
              name={`${idPrefix}-client-auth-mode`}
              value={choice.mode}
              checked={value === choice.mode}
              onChange={() => onChange(choice.mode)}
              aria-describedby={`${id}-hint`}
              className="mt-0.5 h-4 w-4 accent-blue-700"
            />
            <div>
              <label htmlFor={id} className="text-sm">
                {choice.label}
              </label>
              <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
                {choice.description}
              </p>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
