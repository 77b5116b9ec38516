import "server-only";
import type { Plan } from "../types";
import { createRoleStep } from "./create-role";
import { inlinePolicySteps } from "./inline-policy";
import { instanceProfileSteps } from "./instance-profile";
import { managedPolicySteps } from "./managed-policy";
import { oidcProviderStep } from "./oidc-provider";
import type { Work } from "./shared";
import { sourceSidePolicySteps } from "./source-side-policy";

export { sourceTargetOf } from "./source-side-policy";
export type { Call, Op, Undo, Work, StepData } from "./shared";
export { PlanStepError, ProvisioningUnreachable } from "./shared";

/** How far IAM's CreateDate may lag behind this server's clock when deciding that an entity is
 * the one this run created (only asked after an attempt whose outcome is unknown). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The steps a plan turns into, in the order they run:
 *
 *   OIDC provider → CreateRole → PutRolePolicy* → AttachRolePolicy* → instance profile (+ role)
 *   → source-side policies in the trusted accounts
 *
 * `startedAt`: when the run began, to recognise what it created; `account` names an account in
 * messages. */
export function buildWork(plan: Plan, startedAt: number, account: (id: string) => string): Work[] {
  const ctx = { plan, account, recent: (date: Date | undefined) => date !== undefined && date.getTime() >= startedAt - CLOCK_SKEW_MS };
  const oidc = oidcProviderStep(ctx);
  return [...(oidc ? [oidc] : []), createRoleStep(ctx), ...inlinePolicySteps(ctx), ...managedPolicySteps(ctx), ...instanceProfileSteps(ctx), ...sourceSidePolicySteps(ctx)];
}
