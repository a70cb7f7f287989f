import { forwardRef, type SelectHTMLAttributes } from "react";
import { inputClass } from "./field";

/**
 * A styled native <select>: the platform gives it keyboard use, screen-reader support and
 * the phone's own picker, which no custom listbox matches at this size.
 */
export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select(
  { className = "", ...props },
  ref,
) {
  return <select ref={ref} className={`${inputClass} ${className}`} {...props} />;
});
