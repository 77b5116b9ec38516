"use client";

import { RotateCcw } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { buttonClass, Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/field";
import { streamApply, type ApplyOutcome } from "@/components/wizard/apply-stream";
import { DRAFT_KEY, draftKey, emptyDraft, parseDraft, serializeDraft, toSubmission, type Draft } from "@/components/wizard/draft";
import { WizardProgress } from "@/components/wizard/progress";
import { stepInfo, type PlanResult, type StepNumber, type WizardContext } from "@/components/wizard/types";
import { fieldId, firstInvalidStep, normalizeFieldKeys, pruneErrors, stepOfField, validateStep, type FieldErrors } from "@/components/wizard/validate";
import type { ApplyStep, WizardDocument } from "@/lib/provision/types";
import { CreateStep, type ApplyState } from "./create-step";
import type { NextStepsAccess } from "./next-steps";
import { ReviewStep } from "./review-step";
import { StepFooter } from "./step-footer";
import { WhatStep } from "./what-step";
import { WhereStep } from "./where-step";
import { WhoStep } from "./who-step";

type Loaded = { draft: Draft; restored: boolean; unreadable: boolean; storable: boolean; replaced: boolean };

/** A document to start from instead of the stored draft (Clone on the Roles page). */
export type InitialDocument = { document: WizardDocument; notices: string[]; source: string };

/** Whether this browser lets the page keep a draft (storage can be disabled, or full). */
function storageWorks(): boolean {
  try {
    window.localStorage.setItem(`${DRAFT_KEY}.probe`, "1");
    window.localStorage.removeItem(`${DRAFT_KEY}.probe`);
    return true;
  } catch {
    return false;
  }
}

/** The saved draft, or a fresh one. Runs in the browser only (the loader renders this component
 * without SSR). A saved step past the first incomplete one is pulled back to it. */
function loadDraft(key: string, context: WizardContext, initial: InitialDocument | undefined): Loaded {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(key);
  } catch {
    // storage disabled: start fresh
  }
  const storable = storageWorks();
  // Clone was chosen on purpose, so the clone wins over a stored draft (which it then replaces,
  // as the notice says); the address loses ?clone so a reload keeps the edits instead of cloning
  // again.
  if (initial) {
    window.history.replaceState(null, "", "/roles/new");
    return { draft: { step: 1, document: initial.document }, restored: false, unreadable: false, storable, replaced: parseDraft(raw) !== null };
  }
  const draft = parseDraft(raw);
  if (!draft) return { draft: emptyDraft(), restored: false, unreadable: raw !== null, storable, replaced: false };
  const step = Math.min(draft.step, firstInvalidStep(draft.document, context.accounts)) as StepNumber;
  return { draft: { ...draft, step }, restored: true, unreadable: false, storable, replaced: false };
}

/** Focuses the first of `ids` that is on the page once it has rendered. */
const focusSoon = (...ids: string[]) =>
  requestAnimationFrame(() => {
    for (const id of ids) {
      const el = document.getElementById(id);
      if (el) return el.focus();
    }
  });

export function RoleWizard({ userId, context, initial, access }: { userId: string; context: WizardContext; initial?: InitialDocument; access: NextStepsAccess }) {
  const key = draftKey(userId);
  const [loaded] = useState(() => loadDraft(key, context, initial));
  const [draft, setDraft] = useState<Draft>(loaded.draft);
  const [notice, setNotice] = useState<string | null>(
    initial
      ? `Copied from ${initial.source}: choose the account to create it in, then check each step.${loaded.replaced ? " This replaced the draft you had in this browser." : ""}`
      : loaded.restored
        ? "Your draft from earlier is back. Start over to discard it."
        : loaded.unreadable
          ? "A saved draft could not be read, so the wizard starts fresh."
          : null,
  );
  /** Steps whose messages are shown (the person tried to leave them). */
  const [shown, setShown] = useState<ReadonlySet<StepNumber>>(() => new Set());
  /** What the server said about fields, until the person edits them. */
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [apply, setApply] = useState<ApplyState>({ phase: "idle" });
  /** The Review's latest plan: its steps show while the apply starts, its source-side policies in
   * the Next steps. */
  const [planned, setPlanned] = useState<PlanResult | null>(null);
  const [persist, setPersist] = useState(true);
  const [confirmReset, setConfirmReset] = useState(false);
  /** Bumped by Start over, to remount the steps with fresh local state. */
  const [generation, setGeneration] = useState(0);

  const { step, document: doc } = draft;
  const creatable = context.accounts.filter((a) => a.canProvision);
  const running = apply.phase === "running";

  useEffect(() => {
    if (!persist) return;
    try {
      window.localStorage.setItem(key, serializeDraft(draft));
    } catch {
      // Full or disabled: the page said so when it started (loaded.storable).
    }
  }, [draft, persist, key]);

  // Leaving while the role is being created would not stop it, but the page could no longer say
  // how it ended.
  useEffect(() => {
    if (!running) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);

  const update = (next: WizardDocument) => {
    setServerErrors(pruneErrors(serverErrors, doc, next));
    setDraft({ ...draft, document: next });
    setPersist(true);
  };

  /** Goes to a step; with `field`, focuses that field there (a server error to fix). */
  const goTo = (n: StepNumber, field?: string) => {
    // Leaving Create after it ended (not while it runs: the progress is locked then).
    if (n < 5 && apply.phase === "finished") setApply({ phase: "idle" });
    setDraft({ ...draft, step: n });
    setNotice(null);
    // A managed policy's problem shows beside its chip, which is not focusable: the search is.
    if (field) focusSoon(fieldId(field), ...(field.startsWith("permissions.managedPolicyArns.") ? [fieldId("permissions.managedPolicyArns.search")] : []), "wizard-step-heading");
    else focusSoon("wizard-step-heading");
  };

  const errorsFor = (n: StepNumber): FieldErrors => {
    const server = Object.fromEntries(Object.entries(serverErrors).filter(([k]) => stepOfField(k) === n));
    return shown.has(n) ? { ...server, ...validateStep(n, doc, context.accounts) } : server;
  };

  const next = (e?: FormEvent) => {
    e?.preventDefault();
    const errors = validateStep(step, doc, context.accounts);
    const first = Object.keys(errors)[0];
    if (first) {
      setShown(new Set([...shown, step]));
      focusSoon(document.getElementById(fieldId(first)) ? fieldId(first) : "wizard-step-errors");
      return;
    }
    goTo((step + 1) as StepNumber);
  };

  const showServerErrors = (fields: Record<string, string> | undefined) => {
    const errors = normalizeFieldKeys(fields);
    if (Object.keys(errors).length) setServerErrors((prev) => ({ ...prev, ...errors }));
  };

  /** The acknowledgement the last Create was sent with, for a retry after a step-up. */
  const lastAcknowledge = useRef(false);
  const create = (acknowledgeWarnings: boolean) => {
    if (running) return;
    lastAcknowledge.current = acknowledgeWarnings;
    // The steps the Review planned, all waiting, while the server checks the plan once more.
    setApply({ phase: "running", steps: planned?.steps ?? [], started: false });
    setDraft({ ...draft, step: 5 });
    focusSoon("wizard-step-heading");
    const onSteps = (steps: ApplyStep[]) => setApply({ phase: "running", steps, started: true });
    // streamApply never rejects: a failed connection comes back as an outcome.
    void streamApply({ document: toSubmission(doc), acknowledgeWarnings }, onSteps).then((outcome: ApplyOutcome) => {
      setApply({ phase: "finished", outcome });
      if (outcome.kind === "refused") showServerErrors(outcome.fields);
      if (outcome.kind === "result" && outcome.ok) {
        // The role exists now: the draft has done its job.
        setPersist(false);
        try {
          window.localStorage.removeItem(key);
        } catch {
          // nothing saved to remove
        }
      }
    });
  };

  const startOver = () => {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // nothing saved to remove
    }
    setDraft(emptyDraft());
    setShown(new Set());
    setServerErrors({});
    setApply({ phase: "idle" });
    setPersist(true);
    setNotice(null);
    setConfirmReset(false);
    setGeneration((g) => g + 1);
    focusSoon("wizard-step-heading");
  };

  if (creatable.length === 0) {
    return (
      <EmptyState
        title={context.accounts.length ? "No account where the console can create roles" : "Register an AWS account first"}
        actions={
          <Link href="/accounts" className={buttonClass("primary")}>
            Go to Accounts
          </Link>
        }
      >
        {context.accounts.length
          ? "The console creates roles through each account's provisioning role, and it cannot use one in any registered account. Check the provisioning role on the Accounts page."
          : "Roles are created in registered AWS accounts, through each account's provisioning role. Add an account (or import them from AWS Organizations) first."}
      </EmptyState>
    );
  }

  const succeeded = apply.phase === "finished" && apply.outcome.kind === "result" && apply.outcome.ok;
  const reachable = running || succeeded ? 5 : firstInvalidStep(doc, context.accounts);
  const title = stepInfo(step);
  const errors = errorsFor(step);
  const errorCount = Object.keys(errors).length;

  return (
    <div className="space-y-5">
      <WizardProgress current={step} reachable={reachable} locked={running || succeeded} finished={succeeded} onGo={goTo} />

      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {initial?.notices.length && step === 1 ? (
        <div data-testid="clone-notices">
          <Alert tone="warning" title={initial.notices.length === 1 ? "One thing was not copied" : `${initial.notices.length} things were not copied`}>
            <ul className="list-disc space-y-1 pl-5">
              {initial.notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
      {!loaded.storable ? <Alert tone="warning">This browser does not let the page save your draft, so a reload will lose it.</Alert> : null}

      <section aria-labelledby="wizard-step-heading" data-testid={`wizard-step-${step}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
          <h2 id="wizard-step-heading" tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
            Step {step} of 5: {title.title}
            <span className="ml-2 text-sm font-normal text-slate-500">{title.description}</span>
          </h2>
          <Button size="sm" variant="ghost" onClick={() => setConfirmReset(true)} disabled={running}>
            <RotateCcw className="h-4 w-4" aria-hidden />
            Start over
          </Button>
        </header>

        {step <= 3 ? (
          <form onSubmit={next} noValidate>
            <div className="space-y-6 px-5 py-5">
              {errorCount && shown.has(step) ? (
                <div id="wizard-step-errors" tabIndex={-1}>
                  <Alert title={errorCount === 1 ? "One thing to fix on this step" : `${errorCount} things to fix on this step`}>The messages are next to the fields.</Alert>
                </div>
              ) : null}
              {step === 1 ? <WhereStep key={generation} doc={doc} context={context} errors={errors} onChange={update} /> : null}
              {step === 2 ? <WhoStep key={generation} doc={doc} context={context} errors={errors} onChange={update} /> : null}
              {step === 3 ? <WhatStep key={generation} doc={doc} errors={errors} onChange={update} /> : null}
            </div>
            <StepFooter onBack={step > 1 ? () => goTo((step - 1) as StepNumber) : undefined}>
              <Button type="submit">Next: {stepInfo((step + 1) as StepNumber).title}</Button>
            </StepFooter>
          </form>
        ) : step === 4 ? (
          <ReviewStep key={generation} doc={doc} context={context} onChange={update} onBack={() => goTo(3)} onGoToStep={goTo} onFieldErrors={showServerErrors} onPlanned={setPlanned} onCreate={create} />
        ) : (
          <CreateStep
            doc={doc}
            context={context}
            apply={apply}
            plan={planned?.plan ?? null}
            access={access}
            onBackToReview={() => goTo(4)}
            onGoToStep={goTo}
            onStartOver={startOver}
            onRetry={() => create(lastAcknowledge.current)}
          />
        )}
      </section>

      <Dialog open={confirmReset} onClose={() => setConfirmReset(false)} title="Start over?" description="The draft in this browser is discarded; nothing in AWS changes.">
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirmReset(false)}>
            Keep the draft
          </Button>
          <Button variant="danger" onClick={startOver}>
            Discard and start over
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
