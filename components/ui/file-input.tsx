"use client";
import { forwardRef, useRef, useState, type DragEvent, type InputHTMLAttributes } from "react";

/**
 * A file picker that looks like the rest of the console: a drop zone with a "Choose file"
 * button that shows the chosen file's name. Underneath it is still the native
 * <input type="file">, labelled by its Field, so keyboards, screen readers and tests
 * (setInputFiles) use it as before; a dropped file is handed to that input.
 */
export const FileInput = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & { chosen?: FileList | null }>(function FileInput(
  { chosen, className = "", ...props },
  forwardedRef,
) {
  const input = useRef<HTMLInputElement | null>(null);
  const [dragging, setDragging] = useState(false);
  const file = chosen?.[0];

  const setRef = (element: HTMLInputElement | null) => {
    input.current = element;
    if (typeof forwardedRef === "function") forwardedRef(element);
    else if (forwardedRef) forwardedRef.current = element;
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const target = input.current;
    if (!target || event.dataTransfer.files.length === 0) return;
    target.files = event.dataTransfer.files;
    // React (and react-hook-form) hear about the new files as if they had been picked.
    target.dispatchEvent(new Event("change", { bubbles: true }));
  };

  return (
    <div
      data-file-drop-zone=""
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      className={`relative flex flex-wrap items-center gap-3 rounded-md border-2 border-dashed px-3 py-3 focus-within:ring-2 focus-within:ring-blue-600 ${
        dragging ? "border-blue-600 bg-blue-50 dark:bg-blue-950" : "border-slate-300 dark:border-slate-600"
      } ${className}`}
    >
      <input ref={setRef} type="file" className="sr-only" {...props} />
      {/* The visible button is decoration over the real input: clicking it clicks the input. */}
      <button
        type="button"
        tabIndex={-1}
        aria-hidden="true"
        onClick={() => input.current?.click()}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700"
      >
        Choose file
      </button>
      <span className="min-w-0 flex-1 truncate text-sm" data-chosen-file="">
        {file ? (
          <>
            <span className="font-medium">{file.name}</span>{" "}
            <span className="text-slate-600 dark:text-slate-400">({formatBytes(file.size)})</span>
          </>
        ) : (
          <span className="text-slate-600 dark:text-slate-400">No file chosen; or drop one here</span>
        )}
      </span>
    </div>
  );
});

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
