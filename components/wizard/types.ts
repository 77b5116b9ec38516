// What the role wizard's pages hand to its components: the server's DTOs, as the browser sees
// them. Pure types; the shared ones live in lib/provision/types.ts (no runtime code).
import type { ErrorBody } from "@/lib/errors";
import type { LintFinding } from "@/lib/provision/types";

export type { PlanResult, QuotaMeter, QuotaUsage, WizardAccount, WizardContext, WizardExports } from "@/lib/provision/types";

export type ManagedPolicyOption = { arn: string; name: string; description: string | null; awsManaged: boolean };

/** A finding about raw policy text; the server may add where in the text it is. */
export type TextFinding = LintFinding & { path?: string; line?: number; column?: number };

export type PolicyCheck = { ok: boolean; findings: TextFinding[] };

/** A server action's answer, as lib/http/action.ts shapes it. */
export type ActionAnswer<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** The wizard's steps, in order. */
export const STEPS = [
  { n: 1, title: "Where", description: "Account, name and session" },
  { n: 2, title: "Who", description: "Who may assume it" },
  { n: 3, title: "What", description: "What it may do" },
  { n: 4, title: "Review", description: "Policies, findings, exports" },
  { n: 5, title: "Create", description: "Create it in AWS" },
] as const;

export type StepNumber = (typeof STEPS)[number]["n"];

export function stepInfo(n: StepNumber): (typeof STEPS)[number] {
  return STEPS.find((s) => s.n === n) ?? STEPS[0];
}
