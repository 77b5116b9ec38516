"use client";

import { Button } from "./button";
import { CopyButton } from "./copy-button";
import { Field } from "./field";
import { Textarea } from "./textarea";

/** A secret shown this once (a personal access token, a webhook's signing secret): read-only,
 * selected on focus, with Copy and Done. `ids` name the field and the test ids of its parts. */
export function SecretOnce({ label, value, copyLabel, ids, onDone }: { label: string; value: string; copyLabel: string; ids: { field: string; copy: string; done: string }; onDone: () => void }) {
  return (
    <>
      <Field label={label} htmlFor={ids.field}>
        <Textarea
          id={ids.field}
          data-testid={ids.field}
          readOnly
          value={value}
          rows={1}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          className="resize-none font-mono break-all [field-sizing:content]"
        />
      </Field>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CopyButton text={() => value} label={copyLabel} testId={ids.copy} />
        <Button variant="secondary" onClick={onDone} data-testid={ids.done}>
          Done
        </Button>
      </div>
    </>
  );
}
