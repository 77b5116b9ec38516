"use client";

import { CheckCircle2, X, XCircle } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { AddTrustStatement } from "./[id]/trust/add-statement";
import type { TestOutcome } from "./types";

/** The statement of a fix, back from the text the page shows; null when it is not JSON. */
function statementOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The outcome of a role test, under its row: the assumed session, or why the switch fails and
 * the statement that would fix it. */
export function TestResult({
  outcome,
  testId,
  onDismiss,
  role,
  onRetest,
}: {
  outcome: TestOutcome;
  testId: string;
  onDismiss: () => void;
  /** The role tested: with it, a missing trust statement can be added from here. */
  role?: { id: string; label: string };
  /** Runs the Test again (offered once the statement is added). */
  onRetest?: () => void;
}) {
  const dismiss = (
    <button type="button" onClick={onDismiss} className="rounded p-1 text-slate-500 hover:bg-black/5" aria-label="Dismiss">
      <X className="h-4 w-4" aria-hidden />
    </button>
  );
  if (outcome.ok) {
    return (
      <div role="status" className="flex items-start gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid={testId}>
        <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-hidden />
        <div className="min-w-0 flex-1">
          <p>{outcome.message}</p>
          <p className="mt-0.5 font-mono text-xs text-emerald-800 [overflow-wrap:anywhere]">{outcome.assumedRoleArn}</p>
        </div>
        {dismiss}
      </div>
    );
  }
  return (
    <div role="alert" className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid={testId}>
      <XCircle className="mt-0.5 h-4 w-4 shrink-0 text-red-600" aria-hidden />
      <div className="min-w-0 flex-1 space-y-2">
        <p className="font-medium">{outcome.summary ?? outcome.message}</p>
        {outcome.summary && outcome.summary !== outcome.message ? <p className="text-red-800 [overflow-wrap:anywhere]">{outcome.message}</p> : null}
        {outcome.fix ? (
          <div className="space-y-1">
            <div className="flex items-center justify-between gap-2">
              <p className="text-slate-800">
                Add this statement to <span className="font-medium">{outcome.fix.where}</span>:
              </p>
              <CopyButton text={outcome.fix.statement} label="Copy the statement" iconOnly />
            </div>
            {/* Focusable: it scrolls when the statement is long (WCAG 2.1.1). */}
            <pre tabIndex={0} role="region" aria-label={`The statement to add to ${outcome.fix.where}`} className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs text-slate-800">
              {outcome.fix.statement}
            </pre>
            {role ? (
              <div className="pt-1">
                <AddTrustStatement roleId={role.id} roleLabel={role.label} statement={statementOf(outcome.fix.statement)} afterSave={onRetest ? { label: "Test again", run: onRetest } : undefined} />
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
      {dismiss}
    </div>
  );
}
