// Why AssumeRole refused the broker, in plain words, and which half to fix (DESIGN "Errors": an
// AccessDenied on AssumeRole says whether the target's trust policy or the caller's own
// permission is missing). Pure apart from types: the caller fetches the trust policy (through
// the account's provisioning role) and passes it in.
//
// AWS's rules followed here:
// - Cross-account, AssumeRole needs both the role's trust policy and the caller's identity
//   policy to allow it; within one account a trust policy that names the caller directly is
//   enough, one that names the account root delegates to the identity policy.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// - SourceIdentity and session tags need sts:SetSourceIdentity / sts:TagSession as well.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
// - An explicit Deny wins over any Allow.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import {
  authorize,
  evaluateCondition,
  matchStatement,
  parseArn,
  parsePolicy,
  type NamedPolicy,
  type Policy,
  type RequestContext,
  type RequestPrincipal,
  type Statement,
  type StatementMatch,
} from "@/lib/policy";
import { sessionDuration, type BrokerKind } from "./duration";
import { classifyAwsError, describeAwsError } from "./errors";
import { explainOrganizationDenial, organizationDenialIn, type OrganizationPolicyRef, type OrgPolicyFacts } from "./organization-denial";

/** Stands for the role's ExternalId in suggested statements. */
export const EXTERNAL_ID_PLACEHOLDER = "<the ExternalId stored in Switchboard for this role>";

export type DenialKind =
  | "trust-policy"
  | "caller-permission"
  | "external-id"
  | "mfa"
  | "source-identity"
  | "session-tags"
  | "duration"
  | "role-missing"
  | "service-control-policy"
  | "resource-control-policy"
  | "unknown";

export type Explanation = {
  kind: DenialKind;
  /** One or two sentences in plain words. Never contains a credential or an ExternalId. */
  summary: string;
  fix?: {
    /** e.g. "the trust policy of arn:aws:iam::444444444444:role/DevelopmentTesters". */
    where: string;
    /** The policy statement to add there. */
    statement: object;
  };
  /** For a refusal by the organization: the SCP or RCP, and the root, OU or account it is
   * attached to. */
  organizationPolicy?: OrganizationPolicyRef;
};

export type AssumeRoleFailure = {
  /** The SDK error's name and message, e.g. AccessDenied / "User: … is not authorized …". */
  error: { name: string; message: string };
  roleArn: string;
  broker: {
    arn: string;
    accountId: string;
    /** The broker's IAM role ARN (with its path) when it runs on a role; otherwise derived from
     * the assumed-role ARN, which carries no path. */
    roleArn?: string;
  };
  request: {
    externalId?: string;
    sourceIdentity?: string;
    /** The RoleSessionName sent, for trust policies that test sts:RoleSessionName. */
    roleSessionName?: string;
    durationSeconds?: number;
    tags?: boolean;
  };
  /** The role's trust policy JSON (plain, or URL-encoded as IAM GetRole returns it), when the
   * provisioning role could read it. */
  trustPolicy?: string;
  /** From IAM GetRole through the provisioning role: false when the role does not exist. */
  roleExists?: boolean;
  roleMaxSessionDuration?: number;
  brokerKind: BrokerKind;
  /** The SCPs (along the broker's account's path) or RCPs (along the role's account's path),
   * when the error names one of those types and the broker could read them. */
  organization?: OrgPolicyFacts;
};

/** Explains a failed AssumeRole by the broker. */
export function explainAssumeRoleFailure(input: AssumeRoleFailure): Explanation {
  const duration = durationProblem(input);
  if (duration) return duration;
  if (input.roleExists === false) return roleMissing(input.roleArn);
  if (!isAccessDenied(input.error)) {
    return { kind: "unknown", summary: describeAwsError(input.error, `switch into ${input.roleArn}`) };
  }
  const broker = brokerPrincipal(input.broker);
  const roleAccount = parseArn(input.roleArn)?.account;
  const organization = broker && roleAccount ? organizationDenial(input, broker, roleAccount) : undefined;
  if (organization) return organization;
  const trust = readTrustPolicy(input.trustPolicy, input.roleArn);
  if (!broker || !trust || !roleAccount) return cannotTell(input, broker?.principalArn ?? input.broker.arn, !trust);
  return new TrustAnalysis(input, broker, trust, roleAccount).explain();
}

// ---------------------------------------------------------------------------------------------
// Errors that say what they are: duration limits and missing roles.

const CHAINING_LIMIT = /1 hour session limit for roles assumed by role chaining/i;
const ROLE_LIMIT = /exceeds the MaxSessionDuration/i;

/** AWS's two ValidationErrors for DurationSeconds (AssumeRole API reference):
 * "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role
 * chaining." and "The requested DurationSeconds exceeds the MaxSessionDuration set for this
 * role." */
function durationProblem(input: AssumeRoleFailure): Explanation | undefined {
  const { error, request, roleMaxSessionDuration: roleMax } = input;
  const asked = request.durationSeconds !== undefined ? ` of ${formatSeconds(request.durationSeconds)}` : "";
  if (CHAINING_LIMIT.test(error.message)) {
    // Role chaining caps every session at one hour, whatever the role allows.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
    const works = sessionDuration({ requested: request.durationSeconds, roleMax, brokerKind: "temporary" }).seconds;
    return {
      kind: "duration",
      summary:
        `AWS refused a session${asked}: the console runs on temporary credentials, so every switch is role chaining, which AWS caps at one hour. ` +
        `A session of ${formatSeconds(works)} or less works; for longer sessions run the console on long-term keys or an EC2 instance profile.`,
    };
  }
  if (ROLE_LIMIT.test(error.message)) {
    if (roleMax === undefined) {
      return {
        kind: "duration",
        summary: `AWS refused a session${asked}: it is longer than the maximum session duration set on ${input.roleArn}. Lower this role entry's session duration to the role's maximum, or raise the maximum in IAM.`,
      };
    }
    const works = sessionDuration({ requested: request.durationSeconds, roleMax, brokerKind: input.brokerKind }).seconds;
    return {
      kind: "duration",
      summary: `AWS refused a session${asked}: the role ${input.roleArn} allows at most ${formatSeconds(roleMax)}. A session of ${formatSeconds(works)} or less works, or raise the role's maximum session duration in IAM.`,
    };
  }
  return undefined;
}

/** AWS named an SCP or an RCP, and the broker could read them: which one, and where. Without
 * the facts the explanation stays the trust analysis's. */
function organizationDenial(input: AssumeRoleFailure, broker: Broker, roleAccount: string): Explanation | undefined {
  const clue = organizationDenialIn(input.error.message);
  const facts = input.organization;
  if (!clue || !facts || facts.type !== clue.type) return undefined;
  const context = requestContext(input, broker, {
    // Set for every request by an IAM principal, and for one on a resource (the role).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    "aws:PrincipalIsAWSService": "false",
    "aws:ResourceAccount": roleAccount,
    ...(facts.principalOrgId ? { "aws:PrincipalOrgID": facts.principalOrgId } : {}),
    ...(facts.resourceOrgId ? { "aws:ResourceOrgID": facts.resourceOrgId } : {}),
  });
  const request = { principal: broker.principal, action: clue.action, resource: input.roleArn, resourceAccount: roleAccount, context };
  return explainOrganizationDenial(facts, clue, { request, knownKeys: knownKeys(input, context) }, { roleArn: input.roleArn, brokerArn: broker.principalArn });
}

function roleMissing(roleArn: string): Explanation {
  return {
    kind: "role-missing",
    summary: `The role ${roleArn} does not exist (any more): it may have been deleted or renamed. Re-create it, or remove this role entry.`,
  };
}

function isAccessDenied(error: { name: string }): boolean {
  return classifyAwsError(error).kind === "denied";
}

function cannotTell(input: AssumeRoleFailure, brokerArn: string, unreadable: boolean): Explanation {
  const why = unreadable ? "the console cannot read the role's trust policy" : "the console cannot tell from here";
  return {
    kind: "unknown",
    summary:
      `AWS refused the switch into ${input.roleArn}, and ${why}: either the role's trust policy does not allow the broker (${brokerArn}), ` +
      `or the broker's own identity policy does not allow ${actionsUsed(input.request).join(", ")} on the role.`,
  };
}

// ---------------------------------------------------------------------------------------------
// The broker as IAM sees it, and the request context AWS evaluates the trust policy with.

type Broker = { principal: RequestPrincipal; principalArn: string; type: "User" | "AssumedRole" };

/** `arn:…:iam::<acct>:user/<path><name>` or `arn:…:sts::<acct>:assumed-role/<role>/<session>`;
 * a trust policy names an assumed-role caller by its role's ARN. */
function brokerPrincipal(broker: AssumeRoleFailure["broker"]): Broker | undefined {
  const arn = parseArn(broker.arn);
  if (!arn) return undefined;
  if (arn.service === "iam" && arn.resource.startsWith("user/")) {
    return { principal: { type: "user", arn: broker.arn, accountId: broker.accountId }, principalArn: broker.arn, type: "User" };
  }
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(arn.resource);
  if (arn.service === "sts" && session) {
    const roleArn = broker.roleArn ?? `arn:${arn.partition}:iam::${arn.account}:role/${session[1]}`;
    return { principal: { type: "assumed-role", arn: broker.arn, accountId: broker.accountId, roleArn }, principalArn: roleArn, type: "AssumedRole" };
  }
  return undefined;
}

/** IAM GetRole returns AssumeRolePolicyDocument URL-encoded; accept that or plain JSON. */
function readTrustPolicy(text: string | undefined, roleArn: string): NamedPolicy | undefined {
  if (text === undefined) return undefined;
  let json = text.trim();
  if (/^%7B/i.test(json)) {
    try {
      json = decodeURIComponent(json);
    } catch {
      return undefined;
    }
  }
  const parsed = parsePolicy(json, "trust");
  return parsed.ok ? { name: `the trust policy of ${roleArn}`, policy: parsed.policy } : undefined;
}

const MFA_KEYS = new Set(["aws:multifactorauthpresent", "aws:multifactorauthage"]);
const EXTERNAL_ID_KEY = "sts:externalid";

/** The request context AWS evaluates the switch in, as far as the console knows it. The broker
 * never presents MFA: AWS leaves aws:MultiFactorAuthPresent out for long-term keys and sets it to
 * "false" for temporary credentials without MFA.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent */
function requestContext(input: AssumeRoleFailure, broker: Broker, extra: RequestContext = {}): RequestContext {
  const { request, brokerKind } = input;
  const context: RequestContext = {
    "aws:PrincipalArn": broker.principalArn,
    "aws:PrincipalAccount": input.broker.accountId,
    "aws:PrincipalType": broker.type,
    ...extra,
  };
  if (request.externalId !== undefined) context["sts:ExternalId"] = request.externalId;
  if (request.sourceIdentity !== undefined) context["sts:SourceIdentity"] = request.sourceIdentity;
  if (request.roleSessionName !== undefined) context["sts:RoleSessionName"] = request.roleSessionName;
  if (brokerKind !== "long-term") context["aws:MultiFactorAuthPresent"] = "false";
  return context;
}

/** Condition keys whose value the console knows as AWS would see them (lower case). */
function knownKeys(input: AssumeRoleFailure, context: RequestContext): Set<string> {
  return new Set([
    ...Object.keys(context).map((k) => k.toLowerCase()),
    ...MFA_KEYS,
    EXTERNAL_ID_KEY,
    "sts:sourceidentity",
    ...(input.request.roleSessionName !== undefined ? ["sts:rolesessionname"] : []),
  ]);
}

function actionsUsed(request: AssumeRoleFailure["request"]): string[] {
  return [
    "sts:AssumeRole",
    ...(request.sourceIdentity !== undefined ? ["sts:SetSourceIdentity"] : []),
    ...(request.tags ? ["sts:TagSession"] : []),
  ];
}

/** What stops one trust-policy statement from applying. */
type Blocker =
  | { type: "not-trusted" }
  | { type: "external-id" }
  | { type: "mfa" }
  /** Only conditions on keys the console cannot know (aws:PrincipalOrgID, aws:SourceIp, tags…). */
  | { type: "unseen"; keys: string[] }
  | { type: "conditions"; keys: string[] };

class TrustAnalysis {
  private readonly context: RequestContext;
  /** Condition keys whose value the console knows as AWS would see them (lower case). */
  private readonly known: Set<string>;
  private readonly actions: string[];

  constructor(
    private readonly input: AssumeRoleFailure,
    private readonly broker: Broker,
    private readonly trust: NamedPolicy,
    private readonly roleAccount: string,
  ) {
    this.actions = actionsUsed(input.request);
    this.context = requestContext(input, broker);
    this.known = knownKeys(input, this.context);
  }

  explain(): Explanation {
    const decisions = this.actions.map((action) => ({ action, result: this.decide(action) }));
    for (const { action, result } of decisions) {
      const trustSide = result.resource;
      // An explicit Deny wins over every Allow.
      if (trustSide?.decision === "ExplicitDeny") return this.explicitDeny(action, trustSide.matched.find((m) => m.effect === "Deny"));
      // A role's trust policy must allow every action the request uses (AssumeRole, and
      // SetSourceIdentity / TagSession when used), even within one account.
      if (trustSide?.decision !== "Allow") return this.notAllowed(action);
    }
    // The trust policy allows everything, so the refusal came from the broker's side. Across
    // accounts, or when the trust policy names only the broker's account, the broker's identity
    // policy must allow it too; within one account a trust policy that names the broker itself
    // is enough, so only a Deny (identity policy, boundary, SCP) can have refused.
    const needsIdentity = decisions.some(({ result }) => result.missing.includes("identity"));
    return needsIdentity ? this.callerPermission() : this.brokerSideDeny();
  }

  /** lib/policy's decision with no identity policies: the trust side is decided exactly as AWS
   * would, and `missing` says whether an identity-policy allow would be needed on top. */
  private decide(action: string) {
    return authorize({
      identityPolicies: [],
      resourcePolicy: this.trust,
      resourcePolicyRequired: true,
      request: {
        principal: this.broker.principal,
        action,
        resource: this.input.roleArn,
        resourceAccount: this.roleAccount,
        context: this.context,
      },
    });
  }

  private notAllowed(action: string): Explanation {
    const blocker = this.blocker(action);
    if (blocker.type === "external-id") return this.externalId();
    if (blocker.type === "mfa") return this.mfa();
    if (blocker.type === "unseen") return this.unseen(blocker.keys);
    if (action === "sts:SetSourceIdentity") {
      return this.missingAction(action, "source-identity", "set a source identity (sts:SetSourceIdentity), which the console uses to record the operator in CloudTrail");
    }
    if (action === "sts:TagSession") return this.missingAction(action, "session-tags", "tag the session (sts:TagSession)");
    return this.trustPolicy(blocker.type === "conditions" ? blocker.keys : []);
  }

  /** The closest miss among the Allow statements that name the broker and the action: one that
   * fails only on the ExternalId, then only on MFA, then only on keys the console cannot see. */
  private blocker(action: string): Blocker {
    const request = { principal: this.broker.principal, action, resource: this.input.roleArn, resourceAccount: this.roleAccount, context: this.context };
    const failing = this.trust.policy.Statement.filter((statement) => statement.Effect === "Allow" && statement.Condition)
      .filter((statement) => matchStatement(withoutCondition(statement), this.trust.policy.Version, request, "resource").applies)
      .map((statement) => this.failingKeys(statement, this.trust.policy.Version));
    if (failing.length === 0) return { type: "not-trusted" };
    const only = (allowed: (key: string) => boolean) =>
      failing.find((keys) => keys.length > 0 && keys.every((key) => allowed(key.toLowerCase())));
    if (only((k) => k === EXTERNAL_ID_KEY)) return { type: "external-id" };
    if (only((k) => k === EXTERNAL_ID_KEY || MFA_KEYS.has(k))) return { type: "mfa" };
    const unseen = only((k) => !this.known.has(k));
    if (unseen) return { type: "unseen", keys: unseen };
    return { type: "conditions", keys: [...new Set(failing.flat())] };
  }

  /** The condition keys of a statement, as written, that the request does not satisfy. */
  private failingKeys(statement: Statement, version: Policy["Version"]): string[] {
    const keys: string[] = [];
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
      for (const [key, values] of Object.entries(entries)) {
        if (!evaluateCondition({ [operator]: { [key]: values } }, this.context, { version })) keys.push(key);
      }
    }
    return keys;
  }

  private get trustWhere(): string {
    return `the trust policy of ${this.input.roleArn}`;
  }

  private trustStatement(actions = this.actions): object {
    const statement = { Effect: "Allow", Principal: { AWS: this.broker.principalArn }, Action: oneOrMany(actions) };
    // A role the console switches into with an ExternalId keeps that requirement in the fix, so
    // that pasting it never removes the confused-deputy protection; the value itself is not
    // printed (it is shown to admins on the role's page).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    // (Only where the statement grants sts:AssumeRole: one that adds TagSession or
    // SetSourceIdentity grants no access by itself.)
    if (this.input.request.externalId && actions.includes("sts:AssumeRole")) {
      return { ...statement, Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID_PLACEHOLDER } } };
    }
    return statement;
  }

  private trustPolicy(keys: string[]): Explanation {
    const summary =
      keys.length > 0
        ? `The trust policy of ${this.input.roleArn} names the console's broker only under conditions this switch does not meet (${keys.join(", ")}). Add a statement that allows the broker (${this.broker.principalArn}) to assume the role, or change those conditions.`
        : `The trust policy of ${this.input.roleArn} does not trust the console's broker (${this.broker.principalArn}), so AWS refuses every switch into it. Add a statement that allows the broker to assume the role.`;
    return { kind: "trust-policy", summary, fix: { where: this.trustWhere, statement: this.trustStatement() } };
  }

  private explicitDeny(action: string, deny: StatementMatch | undefined): Explanation {
    const which = deny ? `Statement ${deny.statementIndex + 1}${deny.sid ? ` (Sid ${deny.sid})` : ""} of the trust policy` : "The trust policy";
    return {
      kind: "trust-policy",
      summary: `${which} of ${this.input.roleArn} explicitly denies the console's broker ${action}, and a Deny always wins over an Allow. Remove or narrow that Deny statement.`,
    };
  }

  /** Wrong or missing ExternalId: a trust policy with `StringEquals sts:ExternalId` matches only
   * the agreed value. ExternalIds are identifiers, not secrets, but the text still does not
   * repeat one: it is the role owner's to give.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html */
  private externalId(): Explanation {
    const summary =
      this.input.request.externalId === undefined
        ? `The trust policy of ${this.input.roleArn} requires an ExternalId (sts:ExternalId), and this role entry has none stored. Store the ExternalId the role's owner gave you on the role entry.`
        : `The trust policy of ${this.input.roleArn} requires an ExternalId (sts:ExternalId), and the ExternalId stored for this role does not match it. Check the ExternalId stored for this role with the role's owner.`;
    return { kind: "external-id", summary };
  }

  /** `aws:MultiFactorAuthPresent` is true only for credentials obtained with an MFA code; the
   * broker's never are.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html */
  private mfa(): Explanation {
    return {
      kind: "mfa",
      summary:
        `The trust policy of ${this.input.roleArn} requires MFA (aws:MultiFactorAuthPresent), which the console's broker can never present: it calls AWS with its own credentials, not a person's MFA device. ` +
        `To switch from the console, add a statement that trusts the broker itself without the MFA condition, so that the console's own sign-in stands in for MFA; otherwise keep this role for people who sign in with MFA.`,
      fix: { where: this.trustWhere, statement: this.trustStatement() },
    };
  }

  private unseen(keys: string[]): Explanation {
    return {
      kind: "unknown",
      summary:
        `The trust policy of ${this.input.roleArn} trusts the broker only under conditions on ${keys.join(", ")}, which the console cannot check from here. ` +
        `Either that condition is not met, or the broker's own identity policy does not allow ${this.actions.join(", ")} on the role.`,
    };
  }

  private missingAction(action: string, kind: "source-identity" | "session-tags", what: string): Explanation {
    return {
      kind,
      summary: `The trust policy of ${this.input.roleArn} lets the broker assume the role but not ${what}. Add ${action} for the broker to the trust policy.`,
      fix: { where: this.trustWhere, statement: this.trustStatement([action]) },
    };
  }

  private callerPermission(): Explanation {
    const where = `the broker's identity policy (${this.broker.principalArn})`;
    return {
      kind: "caller-permission",
      summary:
        `The trust policy of ${this.input.roleArn} allows the broker, so the refusal comes from the broker's own side: its identity policy does not allow ${this.actions.join(", ")} on the role. ` +
        `Add that permission to ${where}; a permissions boundary or a service control policy can also block it.`,
      fix: { where, statement: { Effect: "Allow", Action: oneOrMany(this.actions), Resource: this.input.roleArn } },
    };
  }

  /** Within one account, a trust policy that names the broker itself needs no identity policy,
   * so only a Deny on the broker's side can refuse it. */
  private brokerSideDeny(): Explanation {
    return {
      kind: "caller-permission",
      summary:
        `The trust policy of ${this.input.roleArn} allows the broker on its own, so something on the broker's side refuses: ` +
        `an explicit Deny in its policies, a permissions boundary or a service control policy.`,
    };
  }
}

function withoutCondition(statement: Statement): Statement {
  const { Condition: _condition, ...rest } = statement;
  return rest;
}

function oneOrMany(actions: string[]): string | string[] {
  return actions.length === 1 ? actions[0]! : actions;
}

/** 3600 → "3600 seconds (1 hour)", 5400 → "5400 seconds (90 minutes)". */
function formatSeconds(seconds: number): string {
  const hours = seconds / 3600;
  if (Number.isInteger(hours)) return `${seconds} seconds (${hours} ${hours === 1 ? "hour" : "hours"})`;
  const minutes = seconds / 60;
  if (Number.isInteger(minutes)) return `${seconds} seconds (${minutes} minutes)`;
  return `${seconds} seconds`;
}
