// The one rule before a policy change goes to AWS, in the wizard's Create and the trust editor's
// Save alike: every error fixed, and every warning acknowledged for exactly what is on screen.
// The server applies the same rule (it refuses errors, and warnings sent without
// acknowledgeWarnings); this is the page's half, so the button says so before a round trip.
// Pure and browser-safe.
import type { Severity } from "@/lib/provision/types";

export type FindingsGate = {
  errors: number;
  warnings: number;
  /** The warnings were acknowledged for this very content (or there are none). */
  acknowledged: boolean;
  /** No error, and the warnings acknowledged. */
  canProceed: boolean;
  /** What to send as acknowledgeWarnings: true only when there were warnings to acknowledge. */
  acknowledgeWarnings: boolean;
};

/**
 * `acknowledgedFor` is the content the person ticked the box for, `current` the content shown
 * now (the proposed text, or the plan's warnings): an edit after the tick needs a new look.
 */
export function findingsGate(findings: ReadonlyArray<{ severity: Severity }>, acknowledgedFor: string | null, current: string): FindingsGate {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
  }
  const acknowledged = warnings === 0 || acknowledgedFor === current;
  return { errors, warnings, acknowledged, canProceed: errors === 0 && acknowledged, acknowledgeWarnings: warnings > 0 && acknowledged };
}
