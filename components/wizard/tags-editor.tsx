"use client";

import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { fieldId, type FieldErrors } from "./validate";

type Tag = { key: string; value: string };

/** Key/value rows for the role's tags. Field keys: target.tags.<i>.key / .value. */
export function TagsEditor({ tags, onChange, errors }: { tags: Tag[]; onChange: (tags: Tag[]) => void; errors: FieldErrors }) {
  const set = (i: number, patch: Partial<Tag>) => onChange(tags.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const add = () => {
    onChange([...tags, { key: "", value: "" }]);
    // Focus the new key once it is rendered.
    requestAnimationFrame(() => document.getElementById(fieldId(`target.tags.${tags.length}.key`))?.focus());
  };
  const listError = errors["target.tags"];
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">Tags (optional)</legend>
      {tags.length ? (
        <div className="grid grid-cols-[1fr_1fr_auto] gap-x-2 gap-y-1 text-xs font-medium text-slate-500" aria-hidden>
          <span>Key</span>
          <span>Value</span>
          <span className="w-8" />
        </div>
      ) : null}
      {tags.map((tag, i) => {
        const keyId = fieldId(`target.tags.${i}.key`);
        const valueId = fieldId(`target.tags.${i}.value`);
        const keyError = errors[`target.tags.${i}.key`];
        const valueError = errors[`target.tags.${i}.value`];
        return (
          <div key={i} className="space-y-1">
            <div className="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
              <label htmlFor={keyId} className="sr-only">
                Tag {i + 1} key
              </label>
              <Input id={keyId} value={tag.key} onChange={(e) => set(i, { key: e.target.value })} placeholder="team" autoComplete="off" spellCheck={false} invalid={Boolean(keyError)} />
              <label htmlFor={valueId} className="sr-only">
                Tag {i + 1} value
              </label>
              <Input id={valueId} value={tag.value} onChange={(e) => set(i, { value: e.target.value })} placeholder="platform" autoComplete="off" spellCheck={false} invalid={Boolean(valueError)} />
              <button
                type="button"
                onClick={() => onChange(tags.filter((_, j) => j !== i))}
                className="rounded p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
                aria-label={`Remove tag ${i + 1}`}
                title="Remove tag"
              >
                <X className="h-4 w-4" aria-hidden />
              </button>
            </div>
            {keyError ? (
              <p id={`${keyId}-error`} className="text-sm text-red-600">
                {keyError}
              </p>
            ) : null}
            {valueError ? (
              <p id={`${valueId}-error`} className="text-sm text-red-600">
                {valueError}
              </p>
            ) : null}
          </div>
        );
      })}
      {listError ? <p className="text-sm text-red-600">{listError}</p> : null}
      <Button size="sm" variant="secondary" onClick={add} disabled={tags.length >= 50}>
        <Plus className="h-4 w-4" aria-hidden />
        Add tag
      </Button>
    </fieldset>
  );
}
