"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { StepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { AcknowledgeWarnings } from "@/components/wizard/acknowledge-warnings";
import { findingsGate } from "@/components/wizard/findings-gate";
import { FindingsList } from "@/components/wizard/findings-list";
import { validatePolicyText } from "@/lib/policy/lint";
import { hasChanges, lineDiff } from "@/lib/provision/diff";
import type { TrustView } from "@/lib/provision/trust-update";
import { updateTrustAction } from "./actions";
import { TrustDiff } from "./trust-diff";

/** The current trust policy beside the proposed one, their diff, live lint, and Save. */
export function TrustEditor({ view }: { view: TrustView }) {
  const router = useRouter();
  const [current, setCurrent] = useState(view.current);
  const [proposed, setProposed] = useState(view.current);
  /** The proposed text the warnings were acknowledged for: an edit needs a new look. */
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; message: string } | null>(null);
  /** The server asked for a recent sign-in before changing IAM: confirm, then save again. */
  const [stepUp, setStepUp] = useState<{ message: string; method: "password" | "oidc" } | null>(null);
  const [saving, startSaving] = useTransition();

  // The same trust rules the wizard and the server use, on each keystroke (pure, no I/O).
  const lint = useMemo(() => validatePolicyText(proposed, "trust", { target: view.target }), [proposed, view.target]);
  const diff = useMemo(() => lineDiff(current, proposed), [current, proposed]);
  const changed = hasChanges(diff);
  const gate = findingsGate(lint.findings, acknowledged, proposed);
  const canSave = changed && lint.ok && gate.canProceed && !saving;

  const save = () =>
    startSaving(async () => {
      setOutcome(null);
      setStepUp(null);
      const result = await updateTrustAction({ roleId: view.role.id, policy: proposed, acknowledgeWarnings: gate.acknowledgeWarnings });
      if (!result.ok && result.error.code === "step_up_required") {
        return setStepUp({ message: result.error.message, method: result.error.details?.stepUp === "oidc" ? "oidc" : "password" });
      }
      if (!result.ok) return setOutcome({ tone: "error", message: result.error.message });
      setOutcome({ tone: "success", message: `Saved: ${view.role.displayName}'s trust policy is now the proposed one.` });
      setCurrent(proposed);
      setAcknowledged(null);
      router.refresh();
    });

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">
        <span className="font-mono">{view.role.roleArn}</span> in {view.role.accountName} ({view.role.accountId})
      </p>
      {stepUp ? <StepUp message={stepUp.message} method={stepUp.method} onConfirmed={save} /> : null}
      {outcome ? (
        <div data-testid="trust-outcome">
          <Alert tone={outcome.tone}>{outcome.message}</Alert>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="trust-current-title" className="space-y-2">
          <h2 id="trust-current-title" className="text-sm font-semibold text-slate-900">
            Current (live from IAM)
          </h2>
          <pre data-testid="trust-current" className="max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800">
            {current}
          </pre>
        </section>
        <section className="space-y-2">
          <label htmlFor="trust-proposed" className="block text-sm font-semibold text-slate-900">
            Proposed trust policy
          </label>
          <Textarea
            id="trust-proposed"
            data-testid="trust-proposed"
            value={proposed}
            onChange={(e) => setProposed(e.target.value)}
            rows={Math.min(30, Math.max(12, proposed.split("\n").length + 1))}
            spellCheck={false}
            invalid={gate.errors > 0}
            className="font-mono text-xs"
          />
        </section>
      </div>

      <section aria-labelledby="trust-diff-title" className="space-y-2">
        <h2 id="trust-diff-title" className="text-sm font-semibold text-slate-900">
          Changes
        </h2>
        {changed ? (
          <TrustDiff diff={diff} testId="trust-diff" label="Changes to the trust policy" />
        ) : (
          <p className="text-sm text-slate-600" data-testid="trust-diff-empty">
            No changes yet: edit the proposed policy.
          </p>
        )}
      </section>

      <section aria-labelledby="trust-checks-title" className="space-y-2">
        <h2 id="trust-checks-title" className="text-sm font-semibold text-slate-900">
          Checks
        </h2>
        <FindingsList findings={lint.findings} showWhere={false} testId="trust-findings" emptyText="No findings: the proposed policy passes every check." headingLevel={3} />
      </section>

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
        {/* Holds its place when empty, so the buttons stay on the right. */}
        <div>
          <AcknowledgeWarnings id="trust-ack-warnings" gate={gate} checked={acknowledged === proposed} onChange={(on) => setAcknowledged(on ? proposed : null)} proceed="save" />
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => setProposed(current)} disabled={!changed || saving}>
            Reset to current
          </Button>
          <Button onClick={save} disabled={!canSave} data-testid="trust-save">
            {saving ? "Saving…" : "Save trust policy"}
          </Button>
        </div>
      </div>
    </div>
  );
}
