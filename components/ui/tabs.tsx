"use client";

import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";

/** A tab list with one panel (the active one). Arrow keys, Home and End move between tabs, as
 * the WAI-ARIA tabs pattern asks; only the active tab is in the tab order. With `testIdPrefix`,
 * each tab carries `data-testid="<testIdPrefix><value>"`. */
export function Tabs<T extends string>({
  label,
  items,
  value,
  onChange,
  testIdPrefix,
  children,
}: {
  label: string;
  items: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
  testIdPrefix?: string;
  children: ReactNode;
}) {
  const id = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = items.length - 1;
    const next = e.key === "ArrowRight" ? (index === last ? 0 : index + 1) : e.key === "ArrowLeft" ? (index === 0 ? last : index - 1) : e.key === "Home" ? 0 : e.key === "End" ? last : -1;
    if (next < 0) return;
    e.preventDefault();
    onChange(items[next]!.value);
    refs.current[next]?.focus();
  };
  return (
    <div>
      <div role="tablist" aria-label={label} className="relative flex gap-1 overflow-x-auto border-b border-slate-200">
        {items.map((item, index) => {
          const selected = item.value === value;
          return (
            <button
              key={item.value}
              ref={(el) => {
                refs.current[index] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${item.value}`}
              aria-selected={selected}
              aria-controls={`${id}-panel`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(item.value)}
              onKeyDown={(e) => onKeyDown(e, index)}
              data-testid={testIdPrefix ? `${testIdPrefix}${item.value}` : undefined}
              className={`-mb-px border-b-2 whitespace-nowrap px-3 py-2 text-sm font-medium ${selected ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${value}`} className="pt-4">
        {children}
      </div>
    </div>
  );
}
