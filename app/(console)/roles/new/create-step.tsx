"use client";

import { errorText } from "@/components/api/error-body";
import { StepUp } from "@/components/auth/step-up";
import { ExternalLink, LoaderCircle, Plus } from "lucide-react";
import Link from "next/link";
import { buttonClass, Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { ApplyStepList } from "@/components/wizard/apply-steps";
import type { ApplyOutcome } from "@/components/wizard/apply-stream";
import { FindingsList } from "@/components/wizard/findings-list";
import { accountLabel } from "@/components/wizard/format";
import { stepInfo, type StepNumber, type WizardContext } from "@/components/wizard/types";
import { normalizeFieldKeys, stepOfField } from "@/components/wizard/validate";
import type { ApplyStep, WizardDocument } from "@/lib/provision/types";
import { StepFooter } from "./step-footer";

export type ApplyState = { phase: "idle" } | { phase: "running"; steps: ApplyStep[] } | { phase: "finished"; outcome: ApplyOutcome };

/** Step 5: the role being created, step by step as the server reports it, and how it ended. */
export function CreateStep({
  doc,
  context,
  apply,
  onBackToReview,
  onGoToStep,
  onStartOver,
  onRetry,
}: {
  doc: WizardDocument;
  context: WizardContext;
  apply: ApplyState;
  onBackToReview: () => void;
  onGoToStep: (step: StepNumber) => void;
  onStartOver: () => void;
  /** Create again with the same answers (after confirming who you are). */
  onRetry: () => void;
}) {
  const where = accountLabel(doc.target.accountId, context.accounts);
  const outcome = apply.phase === "finished" ? apply.outcome : null;
  const steps = apply.phase === "running" ? apply.steps : outcome && outcome.kind !== "refused" ? outcome.steps : [];
  const succeeded = outcome?.kind === "result" && outcome.ok;

  return (
    <>
      <div className="space-y-4 px-5 py-5">
        <p className="text-sm text-slate-600">
          {succeeded ? "Created" : "Creating"} <span className="font-mono text-slate-900">{doc.target.roleName}</span> in {where}, through its provisioning role. If a step fails, everything this run
          created is removed again.
        </p>

        {apply.phase === "running" && steps.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
            <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
            Checking the plan once more and starting…
          </p>
        ) : null}
        {/* How it ended comes first: with a dozen steps the list would push it out of view. */}
        {outcome ? <Outcome outcome={outcome} onGoToStep={onGoToStep} onRetry={onRetry} /> : null}
        {steps.length ? <ApplyStepList steps={steps} /> : null}
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

function Outcome({ outcome, onGoToStep, onRetry }: { outcome: ApplyOutcome; onGoToStep: (step: StepNumber) => void; onRetry: () => void }) {
  if (outcome.kind === "result" && outcome.ok) {
    return (
      <div className="space-y-3" data-testid="apply-result" data-ok="true">
        <Alert tone="success" title="The role is ready">
          {outcome.role ? (
            <>
              <span className="font-mono [overflow-wrap:anywhere]">{outcome.role.roleArn}</span> is in the catalog as {outcome.role.displayName}, granted to you. Grant it to others on the Roles page.
            </>
          ) : (
            "It was created in AWS."
          )}
        </Alert>
        <div className="flex flex-wrap gap-2">
          <Link href="/roles" className={buttonClass("primary")}>
            Open in the catalog
          </Link>
          {outcome.role ? (
            <a href={`/switch/${encodeURIComponent(outcome.role.id)}`} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")}>
              <ExternalLink className="h-4 w-4" aria-hidden />
              Test switch
            </a>
          ) : null}
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
  const steps = [...new Set(Object.keys(fields).map(stepOfField))].filter((s): s is StepNumber => s !== null && s < 4);
  return (
    <div className="space-y-3" data-testid="apply-result" data-ok="false">
      <Alert title={outcome.status >= 500 ? "The role could not be created" : "Nothing was created"}>
        {outcome.message}
        {outcome.status >= 500 ? " Look for the role on the Roles page (or in the account) before you try again." : ""}
      </Alert>
      {outcome.findings?.length ? <FindingsList findings={outcome.findings} /> : null}
      {steps.length ? (
        <div className="flex flex-wrap gap-2">
          {steps.map((s) => (
            <Button key={s} size="sm" variant="secondary" onClick={() => onGoToStep(s)}>
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
