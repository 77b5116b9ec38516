import "server-only";
import { needsStepUp, type Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/guard";
import { can, type Permission } from "@/lib/auth/permissions";
import { recordDenial } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "./request-meta";
import { timed } from "./server-timing";

/** What an entry point (route handler, server action, the /switch route) requires. */
export type Requirement = {
  /** The permission it needs; `null` means any signed-in user. */
  permission: Permission | null;
  /** It changes IAM (creates a role, rewrites a trust policy): the person must have signed in, or
   * confirmed who they are, within the last 15 minutes (ASVS 7.5.3). */
  stepUp?: boolean;
};

/** The one check every entry point makes before any work: a session that the store still
 * honours, the declared permission, and a recent sign-in where asked. A refusal is audited here
 * (ASVS 16.3.2) and thrown as an AppError, which `describeFailure` turns into the answer. */
export async function authorize(
  requirement: Requirement,
  context: { operation: string; meta: RequestMeta },
  /** Who the request's session cookie names (default: the Next.js request's, getActor). */
  actorOf: () => Promise<Actor | null> = getActor,
): Promise<Actor> {
  const actor = await timed("auth", actorOf);
  if (!actor) throw new AppError("unauthorized", "You are not signed in, or your console session has ended. Sign in again.");
  if (requirement.permission && !can(actor.role, requirement.permission)) {
    throw await refused(actor, context, new AppError("forbidden", `Your console role (${actor.role}) does not allow this (${requirement.permission}).`));
  }
  if (requirement.stepUp && needsStepUp(actor)) {
    const minutes = Math.round((Date.now() - actor.session.verifiedAt) / 60_000);
    const how = actor.authProvider === "oidc" ? "sign in with single sign-on again" : "enter your password again";
    throw await refused(
      actor,
      context,
      new AppError("step_up_required", `This changes IAM in your AWS accounts, so it needs a sign-in from the last 15 minutes; yours was ${minutes} minutes ago. Confirm it is you: ${how}.`, {
        details: { stepUp: actor.authProvider === "oidc" ? "oidc" : "password" },
      }),
    );
  }
  return actor;
}

async function refused(actor: Actor, context: { operation: string; meta: RequestMeta }, err: AppError): Promise<AppError> {
  await recordDenial(actor, { operation: context.operation, reason: err.message, request: context.meta });
  err.audited = true;
  return err;
}
