"use client";

import { Loader2, Wand2 } from "lucide-react";
import Link from "next/link";
import { useMemo, useState, useTransition } from "react";
import { StepUp } from "@/components/auth/step-up";
import { Button, buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import { AcknowledgeWarnings } from "@/components/wizard/acknowledge-warnings";
import { findingsGate } from "@/components/wizard/findings-gate";
import { FindingsList } from "@/components/wizard/findings-list";
import { validatePolicyText } from "@/lib/policy/lint";
import { lineDiff } from "@/lib/provision/diff";
import { isTrustFix, type TrustFixStatement } from "@/lib/provision/trust-statement";
import type { TrustView } from "@/lib/provision/trust-update";
import { proposeTrustStatementAction, updateTrustAction } from "./actions";
import { TrustDiff } from "./trust-diff";

type Proposal = { view: TrustView; proposed: string; added: boolean };

type State =
  | { status: "closed" }
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "review"; proposal: Proposal }
  | { status: "saved"; proposal: Proposal };

/**
 * "Add this statement for me": for a switch or a Test that AWS refused because the role's trust
 * policy does not allow the console's broker. Reads the live policy, shows the diff with the
 * statement added and the same checks Edit trust runs, and on Confirm saves it through Edit
 * trust's own action (step-up, lint, guardrail, audited as provisioning.trust_update). Renders
 * nothing for a fix that is not a trust-policy statement.
 */
export function AddTrustStatement({
  roleId,
  roleLabel,
  statement,
  afterSave,
  size = "sm",
}: {
  roleId: string;
  roleLabel: string;
  /** The explanation's suggested statement, as it arrived. */
  statement: unknown;
  /** What to offer once saved: "Test again" on the Roles page, "Try the switch again" on a failed switch. */
  afterSave?: { label: string; run: () => void };
  size?: "sm" | "md";
}) {
  const [state, setState] = useState<State>({ status: "closed" });
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState<{ message: string; method: "password" | "oidc" } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, startSaving] = useTransition();

  const proposal = state.status === "review" || state.status === "saved" ? state.proposal : null;
  const lint = useMemo(() => (proposal ? validatePolicyText(proposal.proposed, "trust", { target: proposal.view.target }) : null), [proposal]);
  const diff = useMemo(() => (proposal ? lineDiff(proposal.view.current, proposal.proposed) : []), [proposal]);
  const gate = findingsGate(lint?.findings ?? [], acknowledged, proposal?.proposed ?? "");

  if (!isTrustFix(statement)) return null;
  const fix: TrustFixStatement = statement;

  const open = async () => {
    setState({ status: "loading" });
    setAcknowledged(null);
    setStepUp(null);
    setSaveError(null);
    const result = await proposeTrustStatementAction({ roleId, statement: fix });
    setState(result.ok ? { status: "review", proposal: result.data } : { status: "error", message: result.error.message });
  };

  const save = () =>
    startSaving(async () => {
      if (state.status !== "review") return;
      setSaveError(null);
      setStepUp(null);
      const result = await updateTrustAction({ roleId, policy: state.proposal.proposed, acknowledgeWarnings: gate.acknowledgeWarnings });
      if (!result.ok && result.error.code === "step_up_required") {
        return setStepUp({ message: result.error.message, method: result.error.details?.stepUp === "oidc" ? "oidc" : "password" });
      }
      if (!result.ok) return setSaveError(result.error.message);
      setState({ status: "saved", proposal: state.proposal });
    });

  const close = () => setState({ status: "closed" });
  const canSave = state.status === "review" && state.proposal.added && lint?.ok === true && gate.canProceed && !saving;

  return (
    <>
      <Button size={size} onClick={() => void open()} disabled={state.status === "loading"} data-testid="add-trust-statement">
        {state.status === "loading" ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Wand2 className="h-4 w-4" aria-hidden />}
        Add this statement for me
      </Button>
      <Dialog
        open={state.status !== "closed" && state.status !== "loading"}
        onClose={close}
        title={`Add the statement to ${roleLabel}'s trust policy`}
        description="The console writes it with the account's provisioning role, exactly as Edit trust would. Check the change first."
      >
        <div className="space-y-4" data-testid="add-trust-statement-dialog">
          {state.status === "error" ? (
            <>
              <Alert title="The trust policy cannot be changed from here">{state.message}</Alert>
              <div className="flex justify-end">
                <Button variant="secondary" onClick={close}>
                  Close
                </Button>
              </div>
            </>
          ) : null}

          {proposal ? (
            <>
              <p className="text-sm text-slate-600">
                <span className="font-mono text-xs [overflow-wrap:anywhere]">{proposal.view.role.roleArn}</span> in {proposal.view.role.accountName} ({proposal.view.role.accountId})
              </p>
              {proposal.added ? (
                <div className="space-y-2">
                  <h3 className="text-sm font-semibold text-slate-900">Changes to the trust policy</h3>
                  <TrustDiff diff={diff} testId="add-trust-statement-diff" label="Changes to the trust policy" className="max-h-72" />
                </div>
              ) : (
                <Alert tone="info" title="Nothing to add">
                  The trust policy already holds this statement. IAM can take a few seconds to apply a change everywhere: test the role again in a moment.
                </Alert>
              )}
              {state.status === "review" && proposal.added && lint ? (
                <section aria-labelledby="add-statement-checks" className="space-y-2">
                  <h3 id="add-statement-checks" className="text-sm font-semibold text-slate-900">
                    Checks
                  </h3>
                  <FindingsList findings={lint.findings} showWhere={false} testId="add-trust-statement-findings" emptyText="No findings: the new policy passes every check." />
                </section>
              ) : null}
            </>
          ) : null}

          {stepUp ? <StepUp message={stepUp.message} method={stepUp.method} onConfirmed={save} /> : null}
          {saveError ? <Alert title="The statement was not added">{saveError}</Alert> : null}

          {state.status === "saved" ? (
            <div data-testid="add-trust-statement-saved" className="space-y-3">
              <Alert tone="success" title="Added">
                {roleLabel}&apos;s trust policy now allows the console. IAM can take a few seconds to apply a change everywhere.
              </Alert>
              <div className="flex flex-wrap justify-end gap-2">
                <Button variant="secondary" onClick={close}>
                  Close
                </Button>
                {afterSave ? (
                  <Button
                    onClick={() => {
                      close();
                      afterSave.run();
                    }}
                  >
                    {afterSave.label}
                  </Button>
                ) : null}
              </div>
            </div>
          ) : null}

          {state.status === "review" ? (
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
              <div>
                {proposal?.added ? (
                  <AcknowledgeWarnings id={`add-statement-ack-${roleId}`} gate={gate} checked={acknowledged === proposal.proposed} onChange={(on) => setAcknowledged(on ? proposal.proposed : null)} proceed="add it" />
                ) : null}
              </div>
              <div className="flex flex-wrap gap-2">
                <Link href={`/roles/${roleId}/trust`} className={buttonClass("ghost", "md")}>
                  Edit it yourself
                </Link>
                <Button variant="secondary" onClick={close}>
                  Cancel
                </Button>
                {proposal?.added ? (
                  <Button onClick={save} disabled={!canSave} data-testid="add-trust-statement-confirm">
                    {saving ? "Adding…" : "Add the statement"}
                  </Button>
                ) : null}
              </div>
            </div>
          ) : null}
        </div>
      </Dialog>
    </>
  );
}
