"use client";

import { Check } from "lucide-react";
import { STEPS, type StepNumber } from "./types";

/** The wizard's steps as an ordered list: done, current, still to come. Steps up to `reachable`
 * are buttons (going back never loses anything; going forward needs the steps between to be
 * complete). Create is only reached through the Create button. */
export function WizardProgress({
  current,
  reachable,
  locked,
  finished = false,
  onGo,
}: {
  current: StepNumber;
  reachable: StepNumber;
  locked: boolean;
  /** The role was created: every step is done. */
  finished?: boolean;
  onGo: (step: StepNumber) => void;
}) {
  return (
    <nav aria-label="Steps of the wizard">
      <ol className="grid grid-cols-5 gap-1 sm:gap-2">
        {STEPS.map((s) => {
          const state = s.n < current || finished ? "done" : s.n === current ? "current" : "todo";
          const clickable = !locked && s.n !== current && s.n <= reachable && s.n <= 4;
          const body = (
            <>
              <span
                aria-hidden
                className={`flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
                  state === "done" ? "bg-indigo-600 text-white" : state === "current" ? "border-2 border-indigo-600 text-indigo-700" : "border border-slate-300 text-slate-500"
                }`}
              >
                {state === "done" ? <Check className="h-4 w-4" /> : s.n}
              </span>
              {/* On a phone the title goes under the number and the description is left out:
                  five of them side by side fit in 360 px that way. */}
              <span className="min-w-0 text-center sm:text-left">
                <span className={`block text-sm font-medium ${state === "todo" ? "text-slate-500" : "text-slate-900"}`}>
                  <span className="sr-only">Step {s.n}: </span>
                  {s.title}
                  <span className="sr-only">{state === "done" ? " (done)" : state === "current" ? " (current)" : ""}</span>
                </span>
                <span className="hidden truncate text-xs text-slate-500 sm:block">{s.description}</span>
              </span>
            </>
          );
          // relative: the sr-only labels inside stay inside the column (they are positioned).
          const bar = `relative min-w-0 border-t-4 pt-2 ${state === "todo" ? "border-slate-200" : "border-indigo-600"}`;
          return (
            <li key={s.n} className={bar} data-testid={`wizard-progress-${s.n}`} aria-current={s.n === current ? "step" : undefined}>
              {clickable ? (
                <button type="button" onClick={() => onGo(s.n)} className="flex w-full flex-col items-center gap-1 rounded-md p-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 sm:flex-row sm:gap-2">
                  {body}
                </button>
              ) : (
                <div className="flex flex-col items-center gap-1 p-1 sm:flex-row sm:gap-2">{body}</div>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
