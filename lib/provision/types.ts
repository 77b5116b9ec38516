// The role wizard's vocabulary, shared by the plan builder, the lint rules, the exports, the
// apply engine and the pages. Pure types: no I/O.
//
//   WizardDocument ──buildPlan──► Plan ──exports──► Terraform / CloudFormation / CLI / ~/.aws/config
//                                   └──applyPlan──► IAM calls through the provisioning role, with rollback
//
// The wizard follows the AWS console's Create role wizard and terraform-aws-modules/iam:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create.html

import type { Partition } from "@/lib/domain/partitions";
import type { BrokerIdentity, LintFinding } from "@/lib/policy/lint/types";

export type { LintFinding, Severity } from "@/lib/policy/lint/types";

/** Who may assume the role: one trusted entity of the wizard's "Who" step. */
export type TrustedEntity =
  /** This console's own AWS identity (the broker), so operators can switch into the role. The
   * trust statement also allows sts:SetSourceIdentity (operators' identities reach CloudTrail). */
  | { kind: "broker" }
  /** A whole AWS account (`arn:<partition>:iam::<id>:root`): its admins decide who may call. */
  | { kind: "account"; accountId: string }
  /** Specific IAM role or user ARNs (any account). */
  | { kind: "principal"; arn: string }
  /** An AWS service, e.g. `ec2.amazonaws.com` (EC2 also gets an instance profile). */
  | { kind: "service"; service: string }
  /** GitHub Actions through the target account's token.actions.githubusercontent.com provider. */
  | {
      kind: "github";
      owner: string;
      repo: string;
      /** Which workflow runs: a branch, a tag, a deployment environment, pull requests. */
      ref: { type: "branch"; name: string } | { type: "tag"; name: string } | { type: "environment"; name: string } | { type: "pull_request" };
    }
  /** Another OIDC provider (already in the target account). */
  | { kind: "oidc"; providerArn: string; audience: string; subject?: string }
  /** A SAML provider (already in the target account). */
  | { kind: "saml"; providerArn: string };

/** Conditions applied to the AWS-principal statements (broker, accounts, principals). */
export type TrustConditions = {
  /** Require this ExternalId (2–1224 chars of [\w+=,.@:/-]). */
  externalId?: string;
  /** Require MFA (aws:MultiFactorAuthPresent). */
  requireMfa?: boolean;
  /** Only principals of this organization (aws:PrincipalOrgID, o-xxxxxxxxxx). */
  organizationId?: string;
};

/** Parameterized inline-policy templates. */
export type PolicyTemplate =
  /** The tutorials' read_my_bucket: s3:ListBucket on the bucket, s3:GetObject on its objects. */
  | { id: "read-s3-bucket"; bucket: string }
  /** Deploy with CodeDeploy to one application. */
  | { id: "codedeploy-deploy"; application: string }
  /** Describe/List/Get across services (no data reads). */
  | { id: "read-only" };

export type InlinePolicySpec =
  | { name: string; template: PolicyTemplate }
  /** Raw JSON as the person wrote it. */
  | { name: string; document: string };

/** The wizard's whole input: what the pages submit and POST /api/v1/provisioning/plan takes. */
export type WizardDocument = {
  target: {
    /** 12-digit id of a registered account. */
    accountId: string;
    roleName: string;
    /** Starts and ends with "/", default "/". */
    path: string;
    description: string;
    /** 3600–43200. */
    maxSessionDuration: number;
    tags: Array<{ key: string; value: string }>;
    permissionsBoundaryArn?: string;
  };
  trust: { entities: TrustedEntity[]; conditions: TrustConditions };
  permissions: { managedPolicyArns: string[]; inline: InlinePolicySpec[] };
  /** Also attach the source-side sts:AssumeRole policy in trusted accounts whose provisioning
   * role the console knows (12-digit account ids). */
  applySourcePolicies: string[];
};

/** What the plan builder knows about the world besides the document. */
export type PlanContext = {
  partition: Partition;
  /** The broker's ARN (user, role, or assumed-role session) and whether it holds temporary credentials. */
  broker: BrokerIdentity;
  /** Registered accounts (12-digit id → name, and whether the console can provision there). */
  accounts: Array<{ accountId: string; name: string; canProvision: boolean }>;
  /** From GetAccountSummary in the target account; defaults 2048 / 10240 / 10 when unknown. */
  quotas: { trustPolicySize: number; inlinePoliciesSize: number; managedPoliciesPerRole: number };
  /** Whether token.actions.githubusercontent.com already exists in the target account. */
  githubProviderExists: boolean;
  /** The administrator's guardrails (lib/config), passed in so that the plan builder and the
   * lint rules stay pure. Absent: no boundary required, privileged external trust refused. */
  guardrails?: Guardrails;
};

export type Guardrails = {
  /** The permissions boundary every role must carry, `{accountId}` already replaced. */
  permissionsBoundaryArn?: string;
  /** Administrator-level permissions on a role trusted from outside the organization are a
   * warning instead of an error (SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST). */
  allowPrivilegedExternalTrust: boolean;
};

/** How much of one IAM quota the role takes: characters without whitespace, or policies; "near"
 * from 80 % (where the lint rules warn), "over" past the quota (IAM would refuse it). */
export type QuotaMeter = { used: number; quota: number; level: "ok" | "near" | "over" };

/** The review step's size meters, against the target account's quotas (GetAccountSummary). */
export type QuotaUsage = { trustPolicy: QuotaMeter; inlinePolicies: QuotaMeter; managedPolicies: QuotaMeter };

export type PolicyJson = { Version: "2012-10-17"; Statement: Array<Record<string, unknown>> };

/** Everything that will be created, in the order it will be created. */
export type Plan = {
  accountId: string;
  partition: Partition;
  roleName: string;
  path: string;
  roleArn: string;
  description: string;
  maxSessionDuration: number;
  tags: Array<{ key: string; value: string }>;
  permissionsBoundaryArn: string | null;
  trustPolicy: PolicyJson;
  inlinePolicies: Array<{ name: string; document: PolicyJson }>;
  managedPolicyArns: string[];
  /** EC2 roles: a same-name instance profile on the same path. */
  instanceProfile: { name: string; path: string } | null;
  /** GitHub Actions: the provider to create first when the account has none. */
  oidcProvider: { url: string; clientIds: string[]; arn: string } | null;
  /** For each trusted AWS principal's account: the identity policy its callers need. */
  sourcePolicies: Array<{
    accountId: string;
    /** Who should get it: the principal ARN, or "any principal in <account>" for account trust. */
    principal: string;
    policyName: string;
    document: PolicyJson;
    /** Whether the console will attach it (its provisioning role is known and it was asked). */
    apply: boolean;
  }>;
  /** The console session operators will actually get (role chaining caps it at 3600). */
  effectiveSessionSeconds: number;
  findings: LintFinding[];
};

/** One step of applying a plan, as shown live in the page. */
export type ApplyStep = {
  id: string;
  /** e.g. "Create role delegate_read_my_bucket". */
  label: string;
  status: "pending" | "running" | "done" | "failed" | "rolled-back" | "skipped";
  /** Plain-words reason when failed. */
  error?: string;
};

/** A registered account as the wizard shows it. */
export type WizardAccount = { accountId: string; name: string; environment: string; color: string; partition: string; canProvision: boolean };

/** What the wizard's first steps need: where roles can be created, and who the broker is. */
export type WizardContext = {
  accounts: WizardAccount[];
  /** The console's own AWS identity; `temporary` when it runs on role credentials (chaining). */
  broker: { arn: string; accountId: string; temporary: boolean };
  services: Array<{ principal: string; label: string }>;
  /** The permissions boundary the administrator puts on every role (SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN),
   * with `{accountId}` standing for the role's account; null when none is required. */
  permissionsBoundaryArn: string | null;
};

export type WizardExports = { terraform: string; cloudformation: string; cli: string; awsConfig: string };

/** The review step's answer: the plan, the steps creating it would take (all pending, for the
 * page to show while the apply starts), how much of the account's quotas it takes, and exports. */
export type PlanResult = { plan: Plan; steps: ApplyStep[]; usage: QuotaUsage; exports: WizardExports };
