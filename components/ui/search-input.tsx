import { inputClass } from "./field";

/** A filter box for a long list; its label is read out, the placeholder shows what it searches. */
export function SearchInput({
  id,
  label,
  value,
  onChange,
  placeholder,
  controls,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  /** The id of the list it narrows. */
  controls?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={value}
        placeholder={placeholder}
        aria-controls={controls}
        onChange={(event) => onChange(event.target.value)}
        // Enter in a filter box must not submit the dialog's form.
        onKeyDown={(event) => {
          if (event.key === "Enter") event.preventDefault();
        }}
        className={inputClass}
      />
    </div>
  );
}
