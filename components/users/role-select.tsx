import { forwardRef, type SelectHTMLAttributes } from "react";
import { Select } from "@/components/ui/select";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/roles";

/** The roles, each with what it may do, so whoever picks one sees what it grants. */
export const RoleSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function RoleSelect(props, ref) {
  return (
    <Select ref={ref} {...props}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {roleLabel(role)}
        </option>
      ))}
    </Select>
  );
});

export function roleLabel(role: Role): string {
  return `${role} — ${ROLE_DESCRIPTIONS[role]}`;
}
