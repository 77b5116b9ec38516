"use client";

import { errorText } from "@/components/api/error-body";
import { StepUp } from "@/components/auth/step-up";
import { LoaderCircle, Plus } from "lucide-react";
import Link from "next/link";
import { buttonClass, Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { ApplyStepList } from "@/components/wizard/apply-steps";
import type { ApplyOutcome } from "@/components/wizard/apply-stream";
import { FindingsList } from "@/components/wizard/findings-list";
import { accountLabel } from "@/components/wizard/format";
import { stepInfo, type StepNumber, type WizardContext } from "@/components/wizard/types";
import { normalizeFieldKeys, stepOfField } from "@/components/wizard/validate";
import type { ApplyStep, Plan, WizardDocument } from "@/lib/provision/types";
import { NextSteps, type NextStepsAccess } from "./next-steps";
import { StepFooter } from "./step-footer";

/** `started`: the server has begun creating (its first progress line came); until then `steps`
 * are the Review's plan of them, all waiting, while the server checks the plan once more. */
export type ApplyState = { phase: "idle" } | { phase: "running"; steps: ApplyStep[]; started: boolean } | { phase: "finished"; outcome: ApplyOutcome };

/** Step 5: the role being created, step by step as the server reports it, how it ended, and
 * after a success what is left to do. */
export function CreateStep({
  doc,
  context,
  apply,
  plan,
  access,
  onBackToReview,
  onGoToStep,
  onStartOver,
  onRetry,
}: {
  doc: WizardDocument;
  context: WizardContext;
  apply: ApplyState;
  /** The plan the Review showed for these answers, for the Next steps. */
  plan: Plan | null;
  access: NextStepsAccess;
  onBackToReview: () => void;
  onGoToStep: (step: StepNumber, field?: string) => void;
  onStartOver: () => void;
  /** Create again with the same answers (after confirming who you are). */
  onRetry: () => void;
}) {
  const where = accountLabel(doc.target.accountId, context.accounts);
  const outcome = apply.phase === "finished" ? apply.outcome : null;
  const steps = apply.phase === "running" ? apply.steps : outcome && outcome.kind !== "refused" ? outcome.steps : [];
  const succeeded = outcome?.kind === "result" && outcome.ok;
  const checking = apply.phase === "running" && !apply.started;

  return (
    <>
      <div className="space-y-4 px-5 py-5">
        <p className="text-sm text-slate-600">
          {succeeded ? (
            <>
              Created <span className="font-mono text-slate-900">{doc.target.roleName}</span> in {where}, through its provisioning role.
            </>
          ) : (
            <>
              Creating <span className="font-mono text-slate-900">{doc.target.roleName}</span> in {where}, through its provisioning role. If a step fails, everything this run created is removed
              again.
            </>
          )}
        </p>

        {checking ? (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status" data-testid="apply-checking">
            <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
            Checking once more that the name is free and the policies exist, then starting…
          </p>
        ) : null}
        {/* How it ended comes first: with a dozen steps the list would push it out of view. */}
        {outcome ? <Outcome outcome={outcome} onGoToStep={onGoToStep} onRetry={onRetry} /> : null}
        {steps.length ? <ApplyStepList steps={steps} /> : null}
        {succeeded && outcome.role ? <NextSteps role={outcome.role} plan={plan} context={context} trustsConsole={doc.trust.entities.some((e) => e.kind === "broker")} access={access} /> : null}
      </div>
      {outcome ? (
        <StepFooter onBack={succeeded ? undefined : onBackToReview} backLabel="Back to review">
          {succeeded ? (
            <Button variant="secondary" onClick={onStartOver}>
              <Plus className="h-4 w-4" aria-hidden />
              Create another role
            </Button>
          ) : null}
        </StepFooter>
      ) : null}
    </>
  );
}

function Outcome({ outcome, onGoToStep, onRetry }: { outcome: ApplyOutcome; onGoToStep: (step: StepNumber, field?: string) => void; onRetry: () => void }) {
  if (outcome.kind === "result" && outcome.ok) {
    return (
      <div className="space-y-3" data-testid="apply-result" data-ok="true">
        <Alert tone="success" title="The role is ready">
          {outcome.role ? (
            <>
              <span className="font-mono [overflow-wrap:anywhere]">{outcome.role.roleArn}</span> is in the catalog as {outcome.role.displayName}, granted to you.
            </>
          ) : (
            "It was created in AWS."
          )}
        </Alert>
        <div className="flex flex-wrap gap-2">
          <Link href="/roles" className={buttonClass("secondary")}>
            Open in the catalog
          </Link>
        </div>
      </div>
    );
  }
  if (outcome.kind === "result") {
    return (
      <div data-testid="apply-result" data-ok="false">
        <Alert title="The role was not created">
          <p>{(outcome.error && errorText(outcome.error)) ?? outcome.steps.find((s) => s.status === "failed")?.error ?? "A step failed."}</p>
          <p className="mt-1">Fix the cause (the steps above go back to any answer), then create it again from the review.</p>
        </Alert>
      </div>
    );
  }
  if (outcome.kind === "interrupted") {
    return (
      <div data-testid="apply-result" data-ok="unknown">
        <Alert tone="warning" title="The result is not known">
          {outcome.message}
        </Alert>
      </div>
    );
  }
  if (outcome.stepUp) {
    return (
      <div className="space-y-3" data-testid="apply-result" data-ok="false">
        <StepUp message={outcome.message} method={outcome.stepUp} onConfirmed={onRetry} />
      </div>
    );
  }
  // Refused before anything was created (4xx), or the server failed (5xx) with no way to say how far it got.
  const fields = normalizeFieldKeys(outcome.fields);
  // Each step with a field to fix, and the first such field (the one to focus there).
  const steps = new Map<StepNumber, string>();
  for (const key of Object.keys(fields)) {
    const s = stepOfField(key);
    if (s !== null && s < 4 && !steps.has(s)) steps.set(s, key);
  }
  return (
    <div className="space-y-3" data-testid="apply-result" data-ok="false">
      <Alert title={outcome.status >= 500 ? "The role could not be created" : "Nothing was created"}>
        {outcome.message}
        {outcome.status >= 500 ? " Look for the role on the Roles page (or in the account) before you try again." : ""}
      </Alert>
      {outcome.findings?.length ? <FindingsList findings={outcome.findings} /> : null}
      {steps.size ? (
        <div className="flex flex-wrap gap-2">
          {[...steps].map(([s, field]) => (
            <Button key={s} size="sm" variant="secondary" onClick={() => onGoToStep(s, field)}>
              Go to {stepInfo(s).title}
            </Button>
          ))}
        </div>
      ) : null}
      {outcome.status === 401 ? (
        <Link href="/signin?callbackUrl=%2Froles%2Fnew" className={buttonClass("secondary", "sm")}>
          Sign in again
        </Link>
      ) : null}
    </div>
  );
}
