// The IAM policy model shared by the sandbox and the console. Pure TypeScript: no Next.js,
// no AWS SDK, no I/O. Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

/** Which grammar a document is checked against. */
export type PolicyKind =
  /** Identity-based policy (inline or managed): no Principal, Resource required. */
  | "identity"
  /** Resource-based policy (bucket policy, …): Principal required, Resource required. */
  | "resource"
  /** Role trust policy (AssumeRolePolicyDocument): Principal required, no Resource, no NotPrincipal. */
  | "trust";

export type PrincipalBlock =
  | "*"
  | {
      AWS?: string[];
      Service?: string[];
      Federated?: string[];
      CanonicalUser?: string[];
    };

/** Operator (e.g. `StringEqualsIfExists`, `ForAnyValue:StringLike`) → condition key → values. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** A statement after normalisation: every single value is wrapped in an array, booleans and
 * numbers in conditions are turned into their string form, exactly as IAM compares them. */
export type Statement = {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: ConditionBlock;
};

export type Policy = {
  Version?: "2012-10-17" | "2008-10-17";
  Id?: string;
  Statement: Statement[];
};

/** One problem found in a document. `path` is a JSON path into the document as written,
 * e.g. `$.Statement[1].Condition.StringEquals`; `$` for the whole document. */
export type PolicyIssue = { path: string; message: string };

export type ParseResult =
  | { ok: true; policy: Policy }
  | { ok: false; errors: PolicyIssue[] };

export type NamedPolicy = { name: string; policy: Policy };

/** The principal making a request, as IAM sees it. */
export type RequestPrincipal =
  | { type: "root"; arn: string; accountId: string }
  | { type: "user"; arn: string; accountId: string }
  /** A role session: `arn` is `arn:aws:sts::<acct>:assumed-role/<name>/<session>`,
   * `roleArn` the role's IAM ARN (with its path). */
  | { type: "assumed-role"; arn: string; accountId: string; roleArn: string }
  | { type: "service"; service: string }
  | { type: "federated"; provider: string }
  | { type: "anonymous" };

/** Request context values; keys are matched case-insensitively, as IAM does. */
export type RequestContext = Record<string, string | string[] | undefined>;

export type AuthzRequest = {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `sts:AssumeRole`. */
  action: string;
  /** The resource ARN (`*` where an action has no resource). */
  resource: string;
  /** Account that owns the resource; when it differs from the principal's account the request
   * is cross-account and needs both an identity-based and a resource-based allow. */
  resourceAccount?: string;
  context: RequestContext;
};

/** How a resource-based statement's Principal matched the caller. `account` delegates to the
 * account's identity policies; the others name the caller directly. */
export type PrincipalMatchKind = "wildcard" | "account" | "exact" | "role" | "service" | "federated";

export type StatementMatch = {
  policyName: string;
  statementIndex: number;
  sid?: string;
  effect: "Allow" | "Deny";
  /** Only for resource-based statements. */
  principalMatch?: PrincipalMatchKind;
};

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export type PolicySetResult = {
  decision: Decision;
  /** Every statement that applied to the request (all of its elements matched). */
  matched: StatementMatch[];
};

export type AuthorizeInput = {
  identityPolicies: NamedPolicy[];
  /** The resource's policy; for `sts:AssumeRole` the role's trust policy. */
  resourcePolicy?: NamedPolicy;
  /** A role trust policy must allow the caller even within one account (an identity policy
   * alone never lets anyone assume a role). Set for `sts:AssumeRole`, `sts:TagSession`,
   * `sts:SetSourceIdentity`. */
  resourcePolicyRequired?: boolean;
  /** Caps what identity policies can grant. */
  permissionsBoundary?: NamedPolicy;
  request: AuthzRequest;
};

export type AuthorizeResult = {
  decision: Decision;
  crossAccount: boolean;
  identity: PolicySetResult;
  resource?: PolicySetResult;
  boundary?: PolicySetResult;
  /** The statements that decided: the denying ones for an explicit deny, the allowing ones
   * for an allow, empty for an implicit deny. */
  decidingStatements: StatementMatch[];
  /** Which side is missing for an implicit deny (both may be). Empty when allowed. */
  missing: Array<"identity" | "resource" | "boundary">;
  /** One sentence in plain words, e.g. "No identity-based policy allows sts:AssumeRole on …". */
  reason: string;
};
