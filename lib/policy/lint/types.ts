// The lint's vocabulary: findings, what the trust rules know about the role, and what the
// privileged-trust guardrail knows about its permissions. Pure types, shared by the server, the
// browser and the sandbox.

import type { Policy } from "../types";

export type Severity = "error" | "warning" | "info";

/** One lint finding. Errors block creation; warnings need an acknowledgement. */
export type LintFinding = {
  /** Stable rule id, e.g. "trust-size", "cross-account-no-condition". */
  rule: string;
  severity: Severity;
  message: string;
  /** What to do about it, in plain words. */
  fix?: string;
  /** Which policy: "trust", "inline:<name>", "managed:<arn>", "source:<accountId>", "role". */
  where: string;
};

/** A finding about raw text, with where in the text when known. */
export type PolicyTextFinding = LintFinding & {
  /** JSON path into the document as written, e.g. `$.Statement[0].Action`. */
  path?: string;
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
};

export type PolicyTextResult = {
  /** True when the document parsed and no finding is an error. */
  ok: boolean;
  /** The normalised policy whenever the document could be read (also when `ok` is false
   * because of a semantic error such as a wildcard principal). */
  policy?: Policy;
  findings: PolicyTextFinding[];
};

/** Switchboard's own AWS identity (the broker): the user, role or assumed-role session ARN it
 * calls STS with, and whether it holds temporary credentials (then switching is role chaining). */
export type BrokerIdentity = { arn: string; accountId: string; temporary: boolean };

/** An account registered in Switchboard: the organization the console manages. */
export type KnownAccount = { accountId: string; name: string };

/** What the trust rules know about the role; without `accountId` the cross-account rules are
 * skipped, without `broker` the Switchboard-specific ones. */
export type TrustLintTarget = {
  accountId?: string;
  /** The role's AWS partition (`aws`, `aws-cn`, …); principals in another one are errors. */
  partition?: string;
  roleArn?: string;
  broker?: BrokerIdentity;
  accounts?: readonly KnownAccount[];
  /** Non-whitespace characters; 2048 (the default quota) when unknown. */
  trustPolicySize?: number;
};

export type ValidateTextOptions = {
  /** `where` of the findings; "trust" or "inline" by default. */
  where?: string;
  /** For trust policies: the role the policy is for. */
  target?: TrustLintTarget;
  /** For permission policies: non-whitespace characters; 10240 (the default quota) when unknown. */
  inlinePoliciesSize?: number;
};

/** What a role may do, for the privileged-trust guardrail: managed policy ARNs and inline
 * documents (JSON text or parsed). */
export type RolePermissions = {
  managedPolicyArns: readonly string[];
  inlinePolicies: ReadonlyArray<{ name: string; document: unknown }>;
};
