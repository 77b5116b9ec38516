"use client";

import { CircleCheck, LoaderCircle, WandSparkles } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { countPolicyCharacters } from "@/lib/policy/format";
import { FindingsList } from "./findings-list";
import type { ActionAnswer, PolicyCheck } from "./types";

const DEBOUNCE_MS = 400;

type Checked = { text: string; result: PolicyCheck } | { text: string; error: string };

/** A JSON editor for one inline policy, checked by the server as it is typed (syntax with line
 * and column, IAM's grammar, the lint rules), with the findings right under it. */
export function PolicyJsonEditor({
  id,
  label,
  value,
  onChange,
  check,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  check: (input: { text: string }) => Promise<ActionAnswer<PolicyCheck>>;
  /** The step's own message for this field (shown after Next). */
  error?: string;
}) {
  const [checked, setChecked] = useState<Checked | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(0);

  const run = (text: string) => {
    const n = ++latest.current;
    if (!text.trim()) return;
    check({ text }).then(
      (answer) => {
        if (n === latest.current) setChecked(answer.ok ? { text, result: answer.data } : { text, error: answer.error.message });
      },
      () => {
        if (n === latest.current) setChecked({ text, error: "The console could not be reached to check the policy." });
      },
    );
  };

  // A policy restored from the draft is checked as soon as it is shown.
  useEffect(() => {
    run(value);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the text the editor opens with
  }, []);

  const edit = (text: string) => {
    onChange(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => run(text), DEBOUNCE_MS);
  };

  const format = () => {
    try {
      edit(JSON.stringify(JSON.parse(value), null, 2));
    } catch {
      // Not JSON yet: the findings say where.
    }
  };

  const current = checked && checked.text === value ? checked : null;
  const pending = value.trim() !== "" && !current;
  const statusId = `${id}-status`;

  return (
    <div className="space-y-2">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <div className="flex items-center gap-3 text-xs text-slate-500">
          <span>{countPolicyCharacters(value).toLocaleString()} characters without whitespace</span>
          <Button size="sm" variant="ghost" onClick={format} title="Indent the JSON">
            <WandSparkles className="h-4 w-4" aria-hidden />
            Format
          </Button>
        </div>
      </div>
      <Textarea
        id={id}
        value={value}
        onChange={(e) => edit(e.target.value)}
        rows={14}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        className="font-mono text-xs leading-5"
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : statusId}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div id={statusId} aria-live="polite">
        {pending ? (
          <p className="flex items-center gap-2 text-sm text-slate-500">
            <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
            Checking the policy…
          </p>
        ) : current && "error" in current ? (
          <p className="text-sm text-amber-800">The policy could not be checked: {current.error}</p>
        ) : current ? (
          current.result.findings.length ? (
            <FindingsList findings={current.result.findings} showWhere={false} testId={`${id}-findings`} />
          ) : (
            <p className="flex items-center gap-2 text-sm text-emerald-700" data-testid={`${id}-findings`}>
              <CircleCheck className="h-4 w-4" aria-hidden />
              Valid policy, no findings.
            </p>
          )
        ) : null}
      </div>
    </div>
  );
}
