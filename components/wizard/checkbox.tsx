import type { ReactNode } from "react";

/** A checkbox with its label (and an optional longer explanation under it). */
export function Checkbox({
  id,
  checked,
  onChange,
  label,
  children,
  disabled,
  testId,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  children?: ReactNode;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
        aria-describedby={children ? `${id}-description` : undefined}
        data-testid={testId}
      />
      <div className="text-sm">
        <label htmlFor={id} className={`font-medium ${disabled ? "text-slate-400" : "text-slate-800"}`}>
          {label}
        </label>
        {children ? (
          <div id={`${id}-description`} className="text-slate-600">
            {children}
          </div>
        ) : null}
      </div>
    </div>
  );
}
