import "server-only";
import { needsStepUp, type Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/guard";
import { can, type Permission } from "@/lib/auth/permissions";
import { recordAudit, recordDenial } from "@/lib/audit/record";
import { actorFromToken, TOKEN_FAILURE_MESSAGES, type TokenScope } from "@/lib/tokens/tokens";
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
  /** A personal access token may call it (lib/tokens/): `read` lets any token in, `switch` only
   * tokens made to switch. Unset (every entry point but a few): tokens are refused. */
  tokens?: TokenScope;
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

/** The Authorization header's bearer token: undefined when there is none; an error for any other
 * scheme (a token sent wrongly should not fall back to the cookie and succeed unnoticed). */
export function bearerToken(headers: Headers): string | undefined {
  const value = headers.get("authorization");
  if (value === null) return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(value);
  if (!match) throw new AppError("unauthorized", "Send a personal access token as Authorization: Bearer <token>.", { details: { token: "malformed" } });
  return match[1]!;
}

/** authorize() for a request that carries a personal access token instead of a session cookie:
 * the token must be live and its owner enabled, the entry point must take tokens, and the token's
 * scope must be enough; then the same permission check as a session's. A token's reads are
 * audited too ("via token <name>", as every row the request writes). */
export async function authorizeToken(requirement: Requirement, context: { operation: string; meta: RequestMeta }, token: string): Promise<Actor> {
  const found = await timed("auth", () => actorFromToken(token, context.meta));
  if ("failure" in found) {
    const err = new AppError("unauthorized", TOKEN_FAILURE_MESSAGES[found.failure], { details: { token: found.failure } });
    if (!found.known) throw err;
    // Someone holds a token that no longer works: its owner's record says so.
    throw await refused(found.known.owner, { ...context, meta: { ...context.meta, token: found.known.token } }, err);
  }
  const { actor } = found;
  context.meta.token = { id: actor.token!.id, name: actor.token!.name };
  if (!requirement.tokens) {
    throw await refused(actor, context, new AppError("forbidden", "A personal access token cannot do this: tokens only list your roles and switch into them. Sign in to the console for anything else."));
  }
  if (requirement.tokens === "switch" && actor.token!.scope !== "switch") {
    throw await refused(actor, context, new AppError("forbidden", `This token (“${actor.token!.name}”) may only list your roles; make a token with the switch scope to switch roles.`));
  }
  const authorized = await authorize(requirement, context, async () => actor);
  if (context.operation.startsWith("GET ")) {
    await recordAudit({ action: "token.use", outcome: "success", actor, target: { type: "token", id: actor.token!.id, label: actor.token!.name }, request: context.meta, details: { operation: context.operation } });
  }
  return authorized;
}

async function refused(actor: Pick<Actor, "id" | "email">, context: { operation: string; meta: RequestMeta }, err: AppError): Promise<AppError> {
  await recordDenial(actor, { operation: context.operation, reason: err.message, request: context.meta });
  err.audited = true;
  return err;
}
