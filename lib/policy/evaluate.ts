// Which statements apply to a request, and what AWS decides from identity-based policies, a
// resource-based policy (for sts:AssumeRole, the role's trust policy) and a permissions boundary.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html

import { evaluateCondition } from "./conditions";
import { actionMatches, resolveResource, resourceMatches, variablesEnabled } from "./match";
import { matchPrincipal, notPrincipalExempts } from "./principal";
import type {
  AuthorizeInput,
  AuthorizeResult,
  AuthzRequest,
  Decision,
  NamedPolicy,
  Policy,
  PolicySetResult,
  PrincipalMatchKind,
  RequestPrincipal,
  Statement,
  StatementMatch,
} from "./types";

export type StatementOutcome = { applies: false } | { applies: true; principalMatch?: PrincipalMatchKind };

/** Facts about the caller that are not part of the request itself. */
export type CallerFacts = {
  /** The caller (an IAM user or a role session) has a permissions boundary attached. */
  hasPermissionsBoundary?: boolean;
};

/** Whether every element of a statement matches the request. Principal and NotPrincipal count
 * only for resource-based policies; a statement without Resource/NotResource (a trust policy)
 * matches any resource. */
export function matchStatement(
  statement: Statement,
  version: Policy["Version"],
  request: AuthzRequest,
  kind: "identity" | "resource",
  caller: CallerFacts = {},
): StatementOutcome {
  let principalMatch: PrincipalMatchKind | undefined;
  if (kind === "resource") {
    principalMatch = statementPrincipalMatch(statement, request.principal, caller);
    if (!principalMatch) return { applies: false };
  }
  const withVariables = variablesEnabled(version);
  const applies =
    actionApplies(statement, request.action) &&
    resourceApplies(statement, request, withVariables) &&
    (statement.Condition === undefined || evaluateCondition(statement.Condition, request.context, { version }));
  if (!applies) return { applies: false };
  return principalMatch ? { applies: true, principalMatch } : { applies: true };
}

function statementPrincipalMatch(statement: Statement, caller: RequestPrincipal, facts: CallerFacts): PrincipalMatchKind | undefined {
  if (statement.Principal) return matchPrincipal(statement.Principal, caller);
  // NotPrincipal applies to everyone it does not exempt, so it names nobody in particular.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  if (statement.NotPrincipal) {
    // "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
    // permissions boundary policy attached, regardless of the values specified in the
    // NotPrincipal element." (same page)
    const bounded = facts.hasPermissionsBoundary === true && (caller.type === "user" || caller.type === "assumed-role");
    if (statement.Effect === "Deny" && bounded) return "wildcard";
    return notPrincipalExempts(statement.NotPrincipal, caller) ? undefined : "wildcard";
  }
  return undefined;
}

function actionApplies(statement: Statement, action: string): boolean {
  if (statement.Action) return statement.Action.some((pattern) => actionMatches(pattern, action));
  if (statement.NotAction) return !statement.NotAction.some((pattern) => actionMatches(pattern, action));
  return false;
}

function resourceApplies(statement: Statement, request: AuthzRequest, withVariables: boolean): boolean {
  const covers = (value: string): boolean | undefined => {
    const pattern = resolveResource(value, request.context, withVariables);
    return pattern ? resourceMatches(pattern, request.resource) : undefined;
  };
  if (statement.Resource) return statement.Resource.some((value) => covers(value) === true);
  // An entry whose variable cannot be resolved excludes nothing for sure, so NotResource does
  // not apply (the same rule as negated condition operators).
  if (statement.NotResource) return statement.NotResource.every((value) => covers(value) === false);
  return true;
}

/** Evaluates a set of policies of one kind. Any applying Deny gives ExplicitDeny, otherwise
 * any applying Allow gives Allow, otherwise ImplicitDeny. */
export function evaluatePolicies(
  policies: NamedPolicy[],
  request: AuthzRequest,
  kind: "identity" | "resource",
  caller: CallerFacts = {},
): PolicySetResult {
  const matched: StatementMatch[] = [];
  for (const { name, policy } of policies) {
    policy.Statement.forEach((statement, statementIndex) => {
      const outcome = matchStatement(statement, policy.Version, request, kind, caller);
      if (!outcome.applies) return;
      matched.push({
        policyName: name,
        statementIndex,
        ...(statement.Sid !== undefined && { sid: statement.Sid }),
        effect: statement.Effect,
        ...(outcome.principalMatch && { principalMatch: outcome.principalMatch }),
      });
    });
  }
  return { decision: decide(matched), matched };
}

function decide(matched: StatementMatch[]): Decision {
  if (matched.some((m) => m.effect === "Deny")) return "ExplicitDeny";
  if (matched.some((m) => m.effect === "Allow")) return "Allow";
  return "ImplicitDeny";
}

const allows = (set: PolicySetResult | undefined): StatementMatch[] => set?.matched.filter((m) => m.effect === "Allow") ?? [];
const denies = (set: PolicySetResult | undefined): StatementMatch[] => set?.matched.filter((m) => m.effect === "Deny") ?? [];

type Side = "identity" | "resource" | "boundary";

/** What one branch of `authorize` decided. */
type Outcome = { decision: Decision; deciding: StatementMatch[]; missing: Side[]; reason: string };

/** The evaluated policy sets and the facts every branch needs. */
type Evidence = {
  input: AuthorizeInput;
  identity: PolicySetResult;
  resource?: PolicySetResult;
  boundary?: PolicySetResult;
  resourceAllows: StatementMatch[];
  /** The caller's own side: identity policies, capped by the boundary. */
  callerSide: StatementMatch[];
  /** Which part of the caller's side fails, if any. */
  callerSideMissing?: "identity" | "boundary";
  boundaryGranted: boolean;
  text: Wording;
};

const allowed = (deciding: StatementMatch[], text: Wording): Outcome => ({
  decision: "Allow",
  deciding,
  missing: [],
  reason: text.allowed(deciding),
});
const implicitDeny = (missing: Side[], reason: string): Outcome => ({ decision: "ImplicitDeny", deciding: [], missing, reason });

/** Decides a request the way AWS combines policy types:
 * - an explicit Deny anywhere wins;
 * - the account root user cannot assume a role;
 * - cross-account, both the caller's identity side (identity policies within the boundary) and
 *   the resource policy must allow;
 * - within one account, a resource policy that names the caller decides on its own, while one
 *   that names only the account delegates to the identity side;
 * - a role trust policy (`resourcePolicyRequired`) must allow even within one account, and the
 *   caller's permissions boundary must allow too, however the trust policy names the caller. */
export function authorize(input: AuthorizeInput): AuthorizeResult {
  const { request } = input;
  const caller = request.principal;
  const identity = evaluatePolicies(input.identityPolicies, request, "identity");
  const resource = input.resourcePolicy
    ? evaluatePolicies([input.resourcePolicy], request, "resource", { hasPermissionsBoundary: input.permissionsBoundary !== undefined })
    : undefined;
  const boundary = input.permissionsBoundary
    ? evaluatePolicies([input.permissionsBoundary], request, "identity")
    : undefined;
  const callerAccount = "accountId" in caller ? caller.accountId : undefined;
  const crossAccount =
    callerAccount !== undefined && request.resourceAccount !== undefined && callerAccount !== request.resourceAccount;

  // The root user is allowed everything in its own account without any identity policy, and no
  // boundary can be attached to it.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  const identityGranted = caller.type === "root" || identity.decision === "Allow";
  const boundaryGranted = boundary === undefined || boundary.decision === "Allow";
  const evidence: Evidence = {
    input,
    identity,
    resource,
    boundary,
    resourceAllows: allows(resource),
    callerSide: [...allows(identity), ...allows(boundary)],
    callerSideMissing: !identityGranted ? "identity" : !boundaryGranted ? "boundary" : undefined,
    boundaryGranted,
    text: new Wording(input),
  };

  const outcome =
    explicitDeny(evidence) ??
    rootAssumingRole(evidence) ??
    (caller.type === "service" || caller.type === "federated" || caller.type === "anonymous"
      ? withoutIdentity(evidence)
      : crossAccount
        ? acrossAccounts(evidence)
        : withinAccount(evidence));

  return {
    decision: outcome.decision,
    crossAccount,
    identity,
    ...(resource && { resource }),
    ...(boundary && { boundary }),
    decidingStatements: outcome.deciding,
    missing: outcome.missing,
    reason: outcome.reason,
  };
}

function explicitDeny({ identity, resource, boundary }: Evidence): Outcome | undefined {
  const denying = [...denies(identity), ...denies(resource), ...denies(boundary)];
  const first = denying[0];
  if (!first) return undefined;
  return { decision: "ExplicitDeny", deciding: denying, missing: [], reason: `Explicitly denied by ${describeStatement(first)}` };
}

/** "You cannot use AWS account root user credentials to call AssumeRole. You must use
 * credentials for an IAM user or an IAM role to call AssumeRole." No policy can change that.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
function rootAssumingRole({ input, text }: Evidence): Outcome | undefined {
  const { principal, action } = input.request;
  if (principal.type !== "root" || action.toLowerCase() !== "sts:assumerole") return undefined;
  return implicitDeny([], text.rootCannotAssumeRole());
}

/** AWS services, federated users and anonymous callers have no identity-based policies: the
 * resource policy alone decides. */
function withoutIdentity({ resourceAllows, text }: Evidence): Outcome {
  if (resourceAllows.length > 0) return allowed(resourceAllows, text);
  return implicitDeny(["resource"], text.resourceMissing());
}

/** Cross-account access needs an allow on both sides, whatever the resource policy names. */
function acrossAccounts({ resourceAllows, callerSide, callerSideMissing, text }: Evidence): Outcome {
  const missing: Side[] = [];
  if (callerSideMissing) missing.push(callerSideMissing);
  if (resourceAllows.length === 0) missing.push("resource");
  if (missing.length === 0) return allowed([...callerSide, ...resourceAllows], text);
  return implicitDeny(missing, text.crossAccountMissing(missing));
}

/** Within one account, a grant to a user ARN or a role-session ARN (or to everyone) is not limited
 * by the caller's identity policies or boundary; a grant to a role ARN is still limited by the
 * role's permissions boundary; a grant to the account delegates to identity policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-basics
 * A role trust policy is the exception: whoever it names directly, the caller's permissions
 * boundary must still allow sts:AssumeRole. "If a user is listed as the principal in a role's
 * trust policy but cannot assume the role, check the user's permissions boundary. If a
 * permissions boundary is set for the user, then it must allow the sts:AssumeRole action."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html */
function withinAccount(evidence: Evidence): Outcome {
  const { input, resourceAllows, callerSide, callerSideMissing, boundaryGranted, boundary, text } = evidence;
  const resourceRequired = input.resourcePolicyRequired === true;
  const directGrants = resourceAllows.filter((m) => m.principalMatch !== "account");
  const limitedByBoundary = (m: StatementMatch) => resourceRequired || m.principalMatch === "role";
  const unlimitedGrants = directGrants.filter((m) => !limitedByBoundary(m));
  if (unlimitedGrants.length > 0) return allowed(unlimitedGrants, text);

  const boundedGrants = directGrants.filter(limitedByBoundary);
  if (boundedGrants.length > 0 && boundaryGranted) return allowed([...boundedGrants, ...allows(boundary)], text);

  const resourceSatisfied = !resourceRequired || resourceAllows.length > 0;
  if (!callerSideMissing && resourceSatisfied) {
    return allowed([...callerSide, ...(resourceRequired ? resourceAllows : [])], text);
  }
  if (!resourceSatisfied) return implicitDeny(["resource"], text.resourceMissing());
  if (boundedGrants.length > 0) return implicitDeny(["boundary"], text.boundaryMissing());
  const side = callerSideMissing ?? "identity";
  return implicitDeny([side], text.callerSideMissing(side, resourceAllows.length > 0));
}

export function describeStatement(match: StatementMatch): string {
  const sid = match.sid ? ` (Sid ${match.sid})` : "";
  return `statement ${match.statementIndex}${sid} of policy ${match.policyName}`;
}

export function describeCaller(caller: RequestPrincipal): string {
  switch (caller.type) {
    case "service":
      return `the service ${caller.service}`;
    case "federated":
      return `a user federated through ${caller.provider}`;
    case "anonymous":
      return "an anonymous caller";
    default:
      return caller.arn;
  }
}

/** The one-sentence reasons, kept together so they read alike. */
class Wording {
  private readonly who: string;
  private readonly action: string;
  private readonly resource: string;

  constructor(private readonly input: AuthorizeInput) {
    this.who = describeCaller(input.request.principal);
    this.action = input.request.action;
    this.resource = input.request.resource;
  }

  private get resourcePolicyName(): string {
    if (this.input.resourcePolicyRequired) return "the role's trust policy";
    return this.input.resourcePolicy ? `the resource-based policy ${this.input.resourcePolicy.name}` : "a resource-based policy";
  }

  allowed(deciding: StatementMatch[]): string {
    const described = deciding.map(describeStatement);
    if (described.length === 0) return `Allowed: ${this.who} is the account root user, which needs no identity-based policy`;
    return `Allowed by ${described.join(" and ")}`;
  }

  resourceMissing(): string {
    if (this.input.resourcePolicyRequired) return `The role's trust policy does not allow ${this.who} to perform ${this.action}`;
    if (this.input.resourcePolicy) {
      return `The resource-based policy ${this.input.resourcePolicy.name} does not allow ${this.who} to perform ${this.action} on ${this.resource}`;
    }
    return `No resource-based policy allows ${this.who} to perform ${this.action} on ${this.resource}`;
  }

  rootCannotAssumeRole(): string {
    return `${this.who} is the account root user, which cannot call sts:AssumeRole: AWS requires the credentials of an IAM user or role`;
  }

  identityMissing(): string {
    return `No identity-based policy allows ${this.who} to perform ${this.action} on ${this.resource}`;
  }

  boundaryMissing(): string {
    const name = this.input.permissionsBoundary?.name ?? "";
    return `The permissions boundary ${name} does not allow ${this.who} to perform ${this.action} on ${this.resource}`;
  }

  callerSideMissing(side: Side, delegated: boolean): string {
    const base = side === "boundary" ? this.boundaryMissing() : this.identityMissing();
    if (!delegated) return base;
    return `${base} (${this.resourcePolicyName} trusts only the account, which leaves the decision to identity-based policies)`;
  }

  crossAccountMissing(missing: Side[]): string {
    const both = "(cross-account access needs an allow on both sides)";
    if (missing.includes("resource") && missing.includes("identity")) {
      return `Neither an identity-based policy nor ${this.resourcePolicyName} allows ${this.who} to perform ${this.action} on ${this.resource} ${both}`;
    }
    const parts = missing.map((side, i) => {
      const sentence =
        side === "resource" ? this.resourceMissing() : side === "boundary" ? this.boundaryMissing() : this.identityMissing();
      return i === 0 ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
    });
    return `${parts.join(", and ")} ${both}`;
  }
}
