"use client";

import { Fragment, type ReactNode } from "react";
import { Input } from "@/components/ui/field";

export type ChecklistItem = { id: string; ariaLabel: string; content: ReactNode };

/** A run of items, under a heading with its own "all of these" box when `heading` is given. */
export type ChecklistSection = { key: string; heading?: { content: ReactNode; ariaLabel: string }; items: ChecklistItem[] };

/**
 * A filterable list of checkboxes in a fieldset (the Grants page's roles and people): a search
 * box, the boxes in a scrolling frame, a line when nothing is shown and the field's error under
 * it. The caller filters (`sections` are what is shown) and owns the chosen ids.
 */
export function Checklist({
  legend,
  chosen,
  onChange,
  filter,
  onFilter,
  filterLabel,
  filterPlaceholder,
  sections,
  empty,
  maxHeight,
  error,
  errorId,
}: {
  legend: string;
  chosen: Set<string>;
  onChange: (next: Set<string>) => void;
  filter: string;
  onFilter: (value: string) => void;
  filterLabel: string;
  filterPlaceholder: string;
  sections: ChecklistSection[];
  /** Shown when no section has items. */
  empty: string;
  maxHeight: string;
  error?: string;
  errorId: string;
}) {
  const flip = (ids: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onChange(next);
  };
  const shown = sections.filter((s) => s.items.length);

  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className="text-sm font-medium text-slate-900">
        {legend} {chosen.size ? <span className="font-normal text-slate-600">({chosen.size} chosen)</span> : null}
      </legend>
      <Input type="search" aria-label={filterLabel} placeholder={filterPlaceholder} value={filter} onChange={(e) => onFilter(e.target.value)} autoComplete="off" />
      <div className={`${maxHeight} overflow-y-auto rounded-md border border-slate-200`} aria-describedby={error ? errorId : undefined}>
        {shown.length === 0 ? (
          <p className="px-3 py-4 text-center text-sm text-slate-600">{empty}</p>
        ) : (
          shown.map((section) => {
            const ids = section.items.map((i) => i.id);
            const allOn = ids.every((id) => chosen.has(id));
            const rows = section.items.map((item) => (
              <label key={item.id} className={`flex items-center gap-2 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50 ${section.heading ? "pl-8" : ""}`}>
                <input type="checkbox" className="h-4 w-4 shrink-0 accent-indigo-600" checked={chosen.has(item.id)} onChange={(e) => flip([item.id], e.target.checked)} aria-label={item.ariaLabel} />
                <span className="min-w-0">{item.content}</span>
              </label>
            ));
            if (!section.heading) return <Fragment key={section.key}>{rows}</Fragment>;
            return (
              <div key={section.key} className="border-b border-slate-100 last:border-b-0">
                <label className="flex items-center gap-2 bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-700">
                  <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={allOn} onChange={() => flip(ids, !allOn)} aria-label={section.heading.ariaLabel} />
                  {section.heading.content}
                </label>
                {rows}
              </div>
            );
          })
        )}
      </div>
      {error ? (
        <p id={errorId} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
