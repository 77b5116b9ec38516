// The plan rules, and the document lint as lintPlan runs it: one triggering and one clean case
// for every rule (LINT_RULES and PLAN_LINT_RULES), plus realistic trust policies.

import { describe, expect, it } from "vitest";
import { countPolicyCharacters } from "@/lib/policy/format";
import { LINT_RULES, type LintRule } from "@/lib/policy/lint";
import {
  accounts,
  accountStatement,
  ACCOUNT,
  ADMIN,
  broker,
  BROKER_ROLE,
  brokerStatement,
  githubConditions,
  GITHUB,
  GITHUB_PROVIDER,
  githubStatement,
  OTHER,
  policy,
  readBucket,
  ROLE_ARN,
  serviceStatement,
  tooManyStatements,
  unregistered,
  type PolicyDocument,
  type S,
} from "@/lib/policy/lint/testing";
import { lintPlan, PLAN_LINT_RULES, type PlanLintRule } from "./plan-lint";
import type { LintFinding, Plan, PlanContext, Severity } from "./types";

function basePlan(): Plan {
  return {
    accountId: ACCOUNT,
    partition: "aws",
    roleName: "deploy",
    path: "/",
    roleArn: ROLE_ARN,
    description: "Deploys the app",
    maxSessionDuration: 3600,
    tags: [{ key: "team", value: "platform" }],
    permissionsBoundaryArn: null,
    trustPolicy: policy(brokerStatement),
    inlinePolicies: [{ name: "read_my_bucket", document: readBucket }],
    managedPolicyArns: [],
    instanceProfile: null,
    oidcProvider: null,
    sourcePolicies: [],
    effectiveSessionSeconds: 3600,
    findings: [],
  };
}

function baseContext(): PlanContext {
  return {
    partition: "aws",
    broker: broker(),
    accounts: accounts(),
    quotas: { trustPolicySize: 2048, inlinePoliciesSize: 10240, managedPoliciesPerRole: 10 },
    githubProviderExists: true,
  };
}

type Setup = (plan: Plan, ctx: PlanContext) => void;
const trust = (...statements: S[]): Setup => (p) => {
  p.trustPolicy = policy(...statements);
};
const inline = (document: PolicyDocument | S, name = "app"): Setup => (p) => {
  p.inlinePolicies = [{ name, document: document as PolicyDocument }];
};
const both = (...setups: Setup[]): Setup => (p, c) => setups.forEach((s) => s(p, c));

function run(setup: Setup): LintFinding[] {
  const plan = basePlan();
  const ctx = baseContext();
  setup(plan, ctx);
  return lintPlan(plan, ctx);
}

const baseTrustSize = countPolicyCharacters(JSON.stringify(basePlan().trustPolicy));

type Rule = LintRule | PlanLintRule;
type Case = { rule: Rule; name: string; setup: Setup; severity?: Severity; where?: string; message?: string };

const triggering: Case[] = [
  // Documents
  { rule: "policy-syntax", name: "a character IAM rejects", setup: inline(policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::it\u2019s/*" })), severity: "error", where: "inline:app", message: "U+2019" },
  { rule: "policy-invalid", name: "an action without a service prefix", setup: inline(policy({ Effect: "Allow", Action: "GetObject", Resource: "*" })), severity: "error", where: "inline:app", message: "Statement[0].Action" },
  { rule: "policy-version", name: "Version 2008-10-17", setup: inline({ Version: "2008-10-17", Statement: readBucket.Statement }), severity: "warning", where: "inline:app" },
  { rule: "condition-wildcard-without-like", name: "StringEquals with a *", setup: inline(policy({ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::reports", Condition: { StringEquals: { "s3:prefix": "home/*" } } })), severity: "warning", message: "literally" },
  { rule: "mfa-bad-pattern", name: 'Bool MultiFactorAuthPresent "false" in an Allow', setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "false" } })), severity: "warning", where: "trust" },
  { rule: "mfa-bad-pattern", name: "BoolIfExists true in an Allow", setup: trust(brokerStatement, accountStatement({ BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } })), severity: "warning", message: "BoolIfExists" },
  { rule: "mfa-bad-pattern", name: 'Null "false" in an Allow', setup: trust(brokerStatement, accountStatement({ Null: { "aws:MultiFactorAuthPresent": "false" } })), severity: "warning", message: "only checks" },
  { rule: "mfa-bad-pattern", name: "Bool false (not IfExists) in a Deny", setup: inline(policy(readBucket.Statement[0]!, { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": false } } })), severity: "warning", message: "long-term access keys" },
  // Trust policy
  { rule: "trust-size", name: "over the quota", setup: (_p, c) => void (c.quotas.trustPolicySize = baseTrustSize - 1), severity: "error", where: "trust" },
  { rule: "trust-size", name: "at 100% of the quota", setup: (_p, c) => void (c.quotas.trustPolicySize = baseTrustSize), severity: "warning", where: "trust" },
  { rule: "trust-resource", name: "Resource in a trust statement", setup: trust({ ...brokerStatement, Resource: ROLE_ARN }), severity: "error" },
  { rule: "trust-not-principal", name: "NotPrincipal", setup: trust(brokerStatement, { Effect: "Deny", NotPrincipal: { AWS: BROKER_ROLE }, Action: "sts:AssumeRole" }), severity: "error" },
  { rule: "trust-principal-wildcard", name: '"Principal": "*"', setup: trust(brokerStatement, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }), severity: "error" },
  { rule: "trust-principal-unsupported", name: "a CanonicalUser principal", setup: trust(brokerStatement, { Effect: "Allow", Principal: { CanonicalUser: "a".repeat(64) }, Action: "sts:AssumeRole" }), severity: "error" },
  { rule: "trust-no-allow", name: "only a Deny statement", setup: trust({ ...brokerStatement, Effect: "Deny" }), severity: "error" },
  { rule: "trust-action-mismatch", name: "GitHub with sts:AssumeRole", setup: trust(brokerStatement, githubStatement(githubConditions, { Action: "sts:AssumeRole" })), severity: "error", message: "sts:AssumeRoleWithWebIdentity" },
  { rule: "trust-action-mismatch", name: "an AWS principal with sts:AssumeRoleWithSAML", setup: trust({ ...brokerStatement, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:AssumeRoleWithSAML"] }), severity: "error", message: "a SAML provider" },
  { rule: "trust-roles-anywhere-actions", name: "Roles Anywhere with sts:AssumeRole only", setup: trust(brokerStatement, serviceStatement("rolesanywhere.amazonaws.com")), severity: "error", message: "sts:SetSourceIdentity and sts:TagSession" },
  { rule: "trust-action-wildcard", name: "sts:*", setup: trust({ ...brokerStatement, Action: "sts:*" }), severity: "warning" },
  { rule: "trust-not-action", name: "NotAction", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/ci` }, NotAction: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), severity: "warning" },
  { rule: "trust-action-not-sts", name: "s3:GetObject", setup: trust({ ...brokerStatement, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "s3:GetObject"] }), severity: "warning" },
  { rule: "trust-action-unknown", name: "sts:AssumeRoles", setup: trust({ ...brokerStatement, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:AssumeRoles"] }), severity: "warning", message: "did you mean sts:AssumeRole?" },
  { rule: "cross-account-no-condition", name: "an unregistered account's root", setup: trust(brokerStatement, { ...accountStatement(), Principal: { AWS: "arn:aws:iam::555555555555:root" } }), severity: "warning", message: "any principal in account 555555555555 that its administrators allow assume the role with neither an ExternalId nor MFA" },
  { rule: "cross-account-no-condition", name: "a role in an unregistered account", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::333333333333:role/ci` }, Action: "sts:AssumeRole" }), severity: "warning", message: "arn:aws:iam::333333333333:role/ci" },
  { rule: "cross-account-in-organization", name: "a registered account's root", setup: trust(brokerStatement, accountStatement()), severity: "info", message: "account 222222222222 (Development)" },
  { rule: "cross-account-in-organization", name: "a role in a registered account", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/ci` }, Action: "sts:AssumeRole" }), severity: "info", message: "no ExternalId is needed" },
  { rule: "external-id-console", name: "an ExternalId", setup: trust(brokerStatement, accountStatement({ StringEquals: { "sts:ExternalId": "abc-123" } })), severity: "info", message: "the AWS console's own Switch Role cannot use this role; Switchboard can" },
  { rule: "external-id-format", name: "an ExternalId with a space", setup: trust(brokerStatement, accountStatement({ StringEquals: { "sts:ExternalId": "abc 123" } })), severity: "error" },
  { rule: "source-identity-console", name: "sts:SourceIdentity required", setup: trust(brokerStatement, accountStatement({ StringLike: { "sts:SourceIdentity": "*@example.com" }, Bool: { "aws:MultiFactorAuthPresent": true } })), severity: "info" },
  { rule: "trust-public", name: '{"AWS": "*"}', setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }), severity: "error" },
  { rule: "trust-public", name: '{"AWS": "*"} with only an ExternalId', setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), severity: "error", message: "not a secret" },
  { rule: "trust-public", name: '{"AWS": "*"} with PrincipalOrgID "*"', setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } }), severity: "error" },
  { rule: "oidc-aud-missing", name: "GitHub without aud", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:sub`]: "repo:acme/app:ref:refs/heads/main" } })), severity: "error" },
  { rule: "oidc-aud-missing", name: "an EKS provider without aud", setup: trust({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:app:web" } } }), severity: "error", message: "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" },
  { rule: "oidc-github-sub-missing", name: "GitHub with aud only", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com" } })), severity: "error" },
  { rule: "oidc-github-sub-missing", name: "GitHub with StringNotEquals sub", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringNotEquals: { [`${GITHUB}:sub`]: "repo:acme/app:pull_request" } })), severity: "error" },
  { rule: "oidc-github-sub-wildcard", name: "repo:org/*", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GITHUB}:sub`]: "repo:acme/*" } })), severity: "warning", message: "every repository of that owner" },
  { rule: "oidc-github-sub-wildcard", name: "repo:org/repo:*", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GITHUB}:sub`]: "repo:acme/app:*" } })), severity: "warning", message: "any branch" },
  { rule: "oidc-github-sub-wildcard", name: "* alone", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GITHUB}:sub`]: "*" } })), severity: "error", message: "any repository on GitHub" },
  { rule: "oidc-for-all-values", name: "terraform v6's ForAllValues on aud", setup: trust(githubStatement({ "ForAllValues:StringEquals": { [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringEquals: { [`${GITHUB}:sub`]: "repo:acme/app:ref:refs/heads/main" } })), severity: "warning" },
  { rule: "oidc-provider-missing", name: "no GitHub provider and none planned", setup: both(trust(githubStatement(githubConditions)), (_p, c) => void (c.githubProviderExists = false)), severity: "error" },
  { rule: "oidc-provider-client-id", name: "aud not in the planned provider's client IDs", setup: both(trust(githubStatement(githubConditions)), (p, c) => { c.githubProviderExists = false; p.oidcProvider = { url: `https://${GITHUB}`, clientIds: ["sigstore"], arn: GITHUB_PROVIDER }; }), severity: "error" },
  { rule: "federated-provider-account", name: "a provider in another account", setup: trust({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${OTHER}:saml-provider/Okta` }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } }), severity: "warning" },
  { rule: "service-source-condition", name: "a service without aws:SourceAccount", setup: trust(serviceStatement("lambda.amazonaws.com")), severity: "info" },
  { rule: "service-principal-condition", name: "a service in an MFA statement", setup: trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root`, Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }), severity: "warning", message: "requires MFA" },
  { rule: "mfa-virtual-device", name: "an account root with MFA", setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })), severity: "info" },
  { rule: "principal-unique-id", name: "an AROA unique ID", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "AROA1234567890EXAMPLE" }, Action: "sts:AssumeRole" }), severity: "warning", message: "deleted role" },
  { rule: "principal-redundant", name: "a role and one of its sessions", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/ops/Ops`, `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`] }, Action: "sts:AssumeRole" }), severity: "info" },
  { rule: "principal-partition", name: "an aws-cn principal in an aws role", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${OTHER}:role/ci` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), severity: "error" },
  { rule: "broker-set-source-identity", name: "the broker without sts:SetSourceIdentity", setup: trust({ ...brokerStatement, Action: "sts:AssumeRole" }), severity: "error" },
  { rule: "broker-mfa", name: "the broker with an MFA condition", setup: trust({ ...brokerStatement, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }), severity: "error" },
  { rule: "trust-self-assume", name: "the role's own ARN", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: "sts:AssumeRole" }), severity: "warning" },
  { rule: "trust-self-assume", name: "terraform's allow_self_assume_role statement", setup: trust(brokerStatement, { Sid: "ExplicitSelfRoleAssumption", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/deploy` } } }), severity: "warning" },
  { rule: "privileged-external-trust", name: "AdministratorAccess, trusted by an unregistered account", setup: both(trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc-123" } } }), (p) => void (p.managedPolicyArns = [ADMIN])), severity: "error", where: `managed:${ADMIN}`, message: "account 333333333333" },
  { rule: "privileged-external-trust", name: "allowed by the administrator", setup: both(trust(githubStatement(githubConditions)), (p) => void (p.managedPolicyArns = [ADMIN]), (_p, c) => void (c.guardrails = { allowPrivilegedExternalTrust: true })), severity: "warning" },
  // Role
  { rule: "role-name", name: "a space in the name", setup: (p) => void (p.roleName = "deploy role"), severity: "error", where: "role" },
  { rule: "role-path", name: "a path without slashes", setup: (p) => void (p.path = "team"), severity: "error", where: "role" },
  { rule: "role-path-reserved", name: "/aws-reserved/", setup: (p) => void (p.path = "/aws-reserved/sso.amazonaws.com/"), severity: "warning" },
  { rule: "role-description", name: "a typographic quote", setup: (p) => void (p.description = "Deploys the team\u2019s app"), severity: "error" },
  { rule: "role-max-session", name: "below one hour", setup: (p) => void (p.maxSessionDuration = 900), severity: "error" },
  { rule: "role-tags", name: "an aws: tag key", setup: (p) => void (p.tags = [{ key: "aws:team", value: "x" }]), severity: "error" },
  { rule: "role-tags", name: "a duplicate tag key", setup: (p) => void (p.tags = [{ key: "team", value: "a" }, { key: "team", value: "b" }]), severity: "error", message: "appears twice" },
  { rule: "role-tags", name: "51 tags", setup: (p) => void (p.tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }))), severity: "error" },
  { rule: "permissions-boundary", name: "a boundary in another account", setup: (p) => void (p.permissionsBoundaryArn = `arn:aws:iam::${OTHER}:policy/Boundary`), severity: "error" },
  { rule: "console-switch-name-length", name: "path + name of 65", setup: (p) => { p.path = "/platform/deployments/"; p.roleName = "x".repeat(43); }, severity: "warning", message: "Switchboard can" },
  { rule: "session-chaining", name: "12 h while the broker chains", setup: (p, c) => { p.maxSessionDuration = 43200; c.broker.temporary = true; }, severity: "warning", message: "at most 1 hour" },
  { rule: "session-chaining", name: "12 h for a trusted role", setup: both((p) => void (p.maxSessionDuration = 43200), trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: "sts:AssumeRole" })), severity: "info" },
  { rule: "instance-profile-missing", name: "EC2 without an instance profile", setup: trust(serviceStatement("ec2.amazonaws.com")), severity: "warning" },
  { rule: "instance-profile-name", name: "a space in the profile name", setup: (p) => void (p.instanceProfile = { name: "web server", path: "/" }), severity: "error" },
  { rule: "no-permissions", name: "no policies at all", setup: (p) => void (p.inlinePolicies = []), severity: "info" },
  // Permissions
  { rule: "inline-name", name: "a space in the name", setup: inline(readBucket, "read my bucket"), severity: "error", where: "inline:read my bucket" },
  { rule: "inline-name-duplicate", name: "two policies named alike", setup: (p) => void (p.inlinePolicies = [{ name: "app", document: readBucket }, { name: "App", document: readBucket }]), severity: "error" },
  { rule: "inline-size", name: "over the quota", setup: both(inline(policy(...tooManyStatements)), (_p, c) => void (c.quotas.inlinePoliciesSize = 2048)), severity: "error", where: "role" },
  { rule: "inline-size", name: "near the quota", setup: both(inline(policy(...tooManyStatements)), (_p, c) => void (c.quotas.inlinePoliciesSize = 4000)), severity: "warning", where: "role" },
  { rule: "managed-arn", name: "another account's policy", setup: (p) => void (p.managedPolicyArns = [`arn:aws:iam::${OTHER}:policy/Deploy`]), severity: "error", where: `managed:arn:aws:iam::${OTHER}:policy/Deploy` },
  { rule: "managed-arn", name: "another partition's policy", setup: (p) => void (p.managedPolicyArns = ["arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"]), severity: "error" },
  { rule: "managed-arn", name: "not an ARN", setup: (p) => void (p.managedPolicyArns = ["ReadOnlyAccess"]), severity: "error" },
  { rule: "managed-duplicate", name: "the same policy twice", setup: (p) => void (p.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]), severity: "warning" },
  { rule: "managed-count", name: "three policies, quota two", setup: (p, c) => { p.managedPolicyArns = ["ReadOnlyAccess", "SecurityAudit", "job-function/ViewOnlyAccess"].map((n) => `arn:aws:iam::aws:policy/${n}`); c.quotas.managedPoliciesPerRole = 2; }, severity: "error", where: "role" },
  { rule: "admin-wildcard", name: 'Action "*" on Resource "*"', setup: inline(policy({ Effect: "Allow", Action: "*", Resource: "*" })), severity: "warning", message: "full administrator access" },
  { rule: "passrole-wildcard", name: 'iam:PassRole on "*"', setup: inline(policy({ Effect: "Allow", Action: ["ec2:RunInstances", "iam:PassRole"], Resource: "*" })), severity: "warning" },
  { rule: "passrole-wildcard", name: "iam:Pass* on role/*", setup: inline(policy({ Effect: "Allow", Action: "iam:Pass*", Resource: `arn:aws:iam::${ACCOUNT}:role/*` })), severity: "warning" },
  { rule: "allow-not-action", name: "Allow NotAction", setup: inline(policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })), severity: "warning" },
  { rule: "allow-not-resource", name: "Allow NotResource", setup: inline(policy({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secrets/*" })), severity: "warning" },
  { rule: "policy-deny-only", name: "only Deny statements", setup: inline(policy({ Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" })), severity: "info" },
];

const clean: Array<{ rule: Rule; name: string; setup: Setup }> = [
  { rule: "policy-syntax", name: "plain ASCII", setup: inline(readBucket) },
  { rule: "policy-invalid", name: "a valid document", setup: inline(readBucket) },
  { rule: "policy-version", name: "Version 2012-10-17", setup: inline(readBucket) },
  { rule: "condition-wildcard-without-like", name: "StringLike with a *, and ${*}", setup: inline(policy({ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::reports", Condition: { StringLike: { "s3:prefix": "home/*" }, StringEquals: { "s3:delimiter": "${*}" } } })) },
  { rule: "mfa-bad-pattern", name: 'Bool "true" in an Allow, BoolIfExists "false" in a Deny', setup: both(trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })), inline(policy(readBucket.Statement[0]!, { Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }))) },
  { rule: "trust-size", name: "under 80% of the quota", setup: (_p, c) => void (c.quotas.trustPolicySize = Math.ceil(baseTrustSize / 0.79)) },
  { rule: "trust-resource", name: "no Resource", setup: trust(brokerStatement) },
  { rule: "trust-not-principal", name: "Principal", setup: trust(brokerStatement) },
  { rule: "trust-principal-wildcard", name: '{"AWS": "*"} is not the bare wildcard', setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } }) },
  { rule: "trust-principal-unsupported", name: "an AWS principal", setup: trust(brokerStatement) },
  { rule: "trust-no-allow", name: "an Allow and a Deny", setup: trust(brokerStatement, { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }) },
  { rule: "trust-action-mismatch", name: "GitHub with AssumeRoleWithWebIdentity and TagSession", setup: trust(githubStatement(githubConditions, { Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] })) },
  { rule: "trust-roles-anywhere-actions", name: "Roles Anywhere with all three", setup: trust(serviceStatement("rolesanywhere.amazonaws.com", { Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } })) },
  { rule: "trust-action-wildcard", name: "listed actions", setup: trust(brokerStatement) },
  { rule: "trust-not-action", name: "Action", setup: trust(brokerStatement) },
  { rule: "trust-action-not-sts", name: "STS actions only", setup: trust(brokerStatement) },
  { rule: "trust-action-unknown", name: "sts:SetContext is a trust action", setup: trust({ ...brokerStatement, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"] }) },
  { rule: "cross-account-no-condition", name: "with an ExternalId", setup: trust(brokerStatement, accountStatement({ StringEquals: { "sts:ExternalId": "abc-123" } })) },
  { rule: "cross-account-no-condition", name: "with MFA", setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })) },
  { rule: "cross-account-no-condition", name: "with MFA enforced by a Deny", setup: trust(brokerStatement, accountStatement(), { Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }) },
  { rule: "cross-account-no-condition", name: "the same account", setup: trust(brokerStatement, { ...accountStatement(), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }) },
  { rule: "cross-account-no-condition", name: "the broker itself", setup: trust(brokerStatement) },
  { rule: "cross-account-no-condition", name: "a registered account (inside the organization)", setup: trust(brokerStatement, accountStatement()) },
  { rule: "cross-account-no-condition", name: "an unregistered account pinned by aws:PrincipalOrgID", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::555555555555:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } }) },
  { rule: "cross-account-in-organization", name: "with aws:PrincipalOrgID", setup: trust(brokerStatement, accountStatement({ StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } })) },
  { rule: "cross-account-in-organization", name: "with MFA", setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })) },
  { rule: "cross-account-in-organization", name: "an unregistered account (a third party)", setup: trust(brokerStatement, { ...accountStatement(), Principal: { AWS: "arn:aws:iam::555555555555:root" } }) },
  { rule: "cross-account-in-organization", name: "the same account", setup: trust(brokerStatement, { ...accountStatement(), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }) },
  { rule: "external-id-console", name: "MFA instead", setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })) },
  { rule: "external-id-format", name: "a valid ExternalId", setup: trust(brokerStatement, accountStatement({ StringEquals: { "sts:ExternalId": "Acme:prod/2024+eu@x.y=z,1_-" } })) },
  { rule: "source-identity-console", name: "SetSourceIdentity allowed, not required", setup: trust(brokerStatement) },
  { rule: "trust-public", name: '{"AWS": "*"} within the organization', setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } }) },
  { rule: "oidc-aud-missing", name: "GitHub with aud", setup: trust(githubStatement(githubConditions)) },
  { rule: "oidc-github-sub-missing", name: "GitHub with sub", setup: trust(githubStatement(githubConditions)) },
  { rule: "oidc-github-sub-wildcard", name: "an exact environment subject", setup: trust(githubStatement({ StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: ["repo:acme/app:environment:production", "repo:acme/app:ref:refs/tags/v1"] } })) },
  { rule: "oidc-for-all-values", name: "StringEquals on aud", setup: trust(githubStatement(githubConditions)) },
  { rule: "oidc-provider-missing", name: "the plan creates the provider", setup: both(trust(githubStatement(githubConditions)), (p, c) => { c.githubProviderExists = false; p.oidcProvider = { url: `https://${GITHUB}`, clientIds: ["sts.amazonaws.com"], arn: GITHUB_PROVIDER }; }) },
  { rule: "oidc-provider-client-id", name: "aud among the client IDs", setup: both(trust(githubStatement(githubConditions)), (p) => void (p.oidcProvider = { url: `https://${GITHUB}`, clientIds: ["sts.amazonaws.com"], arn: GITHUB_PROVIDER })) },
  { rule: "federated-provider-account", name: "a provider in the role's account", setup: trust({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } }) },
  { rule: "service-source-condition", name: "with aws:SourceAccount", setup: trust(serviceStatement("lambda.amazonaws.com", { Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } })) },
  { rule: "service-principal-condition", name: "the service in its own statement", setup: trust(accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } }), serviceStatement("lambda.amazonaws.com")) },
  { rule: "mfa-virtual-device", name: "a specific role with MFA", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/ops` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }) },
  { rule: "principal-unique-id", name: "an ARN", setup: trust(brokerStatement) },
  { rule: "principal-redundant", name: "a session of another role", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/Ops`, `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice`] }, Action: "sts:AssumeRole" }) },
  { rule: "principal-partition", name: "an aws principal", setup: trust(brokerStatement) },
  { rule: "broker-set-source-identity", name: "the builder's broker statement", setup: trust(brokerStatement) },
  { rule: "broker-mfa", name: "MFA on the accounts' statement only", setup: trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })) },
  { rule: "trust-self-assume", name: "another role", setup: trust(brokerStatement, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: "sts:AssumeRole" }) },
  { rule: "privileged-external-trust", name: "AdministratorAccess, trusted by a registered account and the console", setup: both(trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })), (p) => void (p.managedPolicyArns = [ADMIN])) },
  { rule: "role-name", name: "letters and +=,.@_-", setup: (p) => void (p.roleName = "deploy_app+prod=1,a.b@c-d") },
  { rule: "role-path", name: "/team/", setup: (p) => void (p.path = "/team/") },
  { rule: "role-path-reserved", name: "a path of our own", setup: (p) => void (p.path = "/platform/") },
  { rule: "role-description", name: "Latin-1 text", setup: (p) => void (p.description = "Déploie l'application (équipe plateforme)") },
  { rule: "role-max-session", name: "12 hours", setup: (p) => void (p.maxSessionDuration = 43200) },
  { rule: "role-tags", name: "50 valid tags", setup: (p) => void (p.tags = Array.from({ length: 50 }, (_, i) => ({ key: `cost center:${i}`, value: "team/platform@acme" }))) },
  { rule: "permissions-boundary", name: "an AWS managed boundary", setup: (p) => void (p.permissionsBoundaryArn = "arn:aws:iam::aws:policy/PowerUserAccess") },
  { rule: "console-switch-name-length", name: "a 64-character name on /", setup: (p) => void (p.roleName = "x".repeat(64)) },
  { rule: "session-chaining", name: "12 h with a long-term broker", setup: (p) => void (p.maxSessionDuration = 43200) },
  { rule: "session-chaining", name: "1 h while the broker chains", setup: (_p, c) => void (c.broker.temporary = true) },
  { rule: "instance-profile-missing", name: "EC2 with its instance profile", setup: both(trust(serviceStatement("ec2.amazonaws.com")), (p) => void (p.instanceProfile = { name: "deploy", path: "/" })) },
  { rule: "instance-profile-name", name: "the role's name", setup: (p) => void (p.instanceProfile = { name: "deploy", path: "/" }) },
  { rule: "no-permissions", name: "a managed policy only", setup: (p) => { p.inlinePolicies = []; p.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]; } },
  { rule: "inline-name", name: "read_my_bucket", setup: inline(readBucket, "read_my_bucket") },
  { rule: "inline-name-duplicate", name: "distinct names", setup: (p) => void (p.inlinePolicies = [{ name: "a", document: readBucket }, { name: "b", document: readBucket }]) },
  { rule: "inline-size", name: "well under the quota", setup: inline(policy(...tooManyStatements)) },
  { rule: "managed-arn", name: "AWS managed, customer managed in the account, and a path", setup: (p) => void (p.managedPolicyArns = ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", `arn:aws:iam::${ACCOUNT}:policy/team/Deploy`]) },
  { rule: "managed-duplicate", name: "distinct policies", setup: (p) => void (p.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/SecurityAudit"]) },
  { rule: "managed-count", name: "at the quota", setup: (p, c) => { p.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/SecurityAudit"]; c.quotas.managedPoliciesPerRole = 2; } },
  { rule: "admin-wildcard", name: "every action on one bucket", setup: inline(policy({ Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"] })) },
  { rule: "passrole-wildcard", name: "iam:PassRole on one role", setup: inline(policy({ Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/app-instance`, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } })) },
  { rule: "allow-not-action", name: "Deny with NotAction", setup: inline(policy(readBucket.Statement[0]!, { Effect: "Deny", NotAction: "s3:*", Resource: "*" })) },
  { rule: "allow-not-resource", name: "Deny with NotResource", setup: inline(policy(readBucket.Statement[0]!, { Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::reports/*" })) },
  { rule: "policy-deny-only", name: "an Allow", setup: inline(readBucket) },
];

describe("lintPlan", () => {
  it("finds nothing in the builder's broker-only plan", () => {
    expect(lintPlan(basePlan(), baseContext())).toEqual([]);
  });

  it.each(triggering)("$rule: $name", ({ rule, setup, severity, where, message }) => {
    const findings = run(setup);
    const hit = findings.find((f) => f.rule === rule);
    expect(hit, JSON.stringify(findings, null, 2)).toBeDefined();
    if (severity) expect(hit?.severity).toBe(severity);
    if (where) expect(hit?.where).toBe(where);
    if (message) expect(hit?.message).toContain(message);
    expect(hit?.message.length).toBeGreaterThan(20);
    expect(hit?.fix?.length ?? 0).toBeGreaterThan(10);
  });

  it.each(clean)("$rule is quiet: $name", ({ rule, setup }) => {
    const findings = run(setup);
    expect(findings.filter((f) => f.rule === rule)).toEqual([]);
  });

  it("has a triggering and a clean case for every rule", () => {
    const rules = [...Object.keys(LINT_RULES), ...Object.keys(PLAN_LINT_RULES)] as Rule[];
    expect(rules.filter((r) => !triggering.some((c) => c.rule === r))).toEqual([]);
    expect(rules.filter((r) => !clean.some((c) => c.rule === r))).toEqual([]);
  });

  it("lists errors first, then warnings, then info", () => {
    const findings = run(trust(brokerStatement, accountStatement({ StringEquals: { "sts:ExternalId": "abc-123" } }), serviceStatement("ec2.amazonaws.com")));
    const order = findings.map((f) => f.severity);
    expect(order).toEqual([...order].sort((a, b) => ["error", "warning", "info"].indexOf(a) - ["error", "warning", "info"].indexOf(b)));
    expect(order).toContain("warning");
    expect(order).toContain("info");
  });

  it("keeps linting the rest of a trust policy that has a Resource", () => {
    const rules = run(trust({ ...brokerStatement, Action: "sts:AssumeRole", Resource: ROLE_ARN }, accountStatement())).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(["trust-resource", "broker-set-source-identity", "cross-account-in-organization"]));
    expect(rules).not.toContain("policy-invalid");
  });

  it("numbers statements as written when a bare-wildcard statement is left out", () => {
    const findings = run(trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }, accountStatement()));
    expect(findings.find((f) => f.rule === "cross-account-in-organization")?.message).toMatch(/^Statement 2 \("TrustAccounts"\)/);
  });

  it("reports grammar errors in a trust policy as policy-invalid", () => {
    const findings = run(trust({ ...brokerStatement, Effect: "allow" }));
    expect(findings.map((f) => f.rule)).toEqual(["policy-invalid"]);
    expect(findings[0]?.message).toContain('Invalid effect "allow"');
  });

  it("reports grammar errors in source policies under source:<account>", () => {
    const plan = basePlan();
    plan.sourcePolicies = [{ accountId: OTHER, principal: `any principal in ${OTHER}`, policyName: "assume-deploy", document: policy({ Effect: "Allow", Action: "sts:AssumeRole" }), apply: false }];
    expect(lintPlan(plan, baseContext())).toEqual([expect.objectContaining({ rule: "policy-invalid", where: `source:${OTHER}` })]);
  });

  it("counts inline policies together against the quota", () => {
    const plan = basePlan();
    const one = countPolicyCharacters(JSON.stringify(readBucket));
    plan.inlinePolicies = [{ name: "a", document: readBucket }, { name: "b", document: readBucket }];
    const ctx = baseContext();
    ctx.quotas.inlinePoliciesSize = 2 * one - 1;
    expect(lintPlan(plan, ctx).find((f) => f.rule === "inline-size")?.message).toContain(`${2 * one} characters`);
  });
});

// Realistic trust policies: the wizard's templates, GitHub's and terraform-aws-iam's, and the
// cross-account set-ups of the AWS console's Create role wizard.
describe("realistic trust policies", () => {
  const cases: Array<{ name: string; setup: Setup; rules: Rule[] }> = [
    {
      name: "GitHub Actions OIDC (GitHub's docs)",
      setup: trust({ Effect: "Allow", Principal: { Federated: GITHUB_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: "repo:ORG/REPO:ref:refs/heads/main" } } }),
      rules: [],
    },
    {
      name: "terraform v6 iam-role GitHub statement (ForAllValues, StringLike sub)",
      setup: trust({ Sid: "GithubOidcAuth", Effect: "Allow", Principal: { Federated: GITHUB_PROVIDER }, Action: ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"], Condition: { "ForAllValues:StringEquals": { [`${GITHUB}:iss`]: `https://${GITHUB}`, [`${GITHUB}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GITHUB}:sub`]: "repo:terraform-aws-modules/terraform-aws-iam:*" } } }),
      rules: ["oidc-github-sub-wildcard", "oidc-for-all-values", "oidc-for-all-values"],
    },
    {
      name: "EC2 instance profile",
      setup: both(trust({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }), (p) => void (p.instanceProfile = { name: "deploy", path: "/" })),
      rules: ["service-source-condition"],
    },
    {
      name: "cross-account with ExternalId (console 'Require external ID')",
      setup: trust(accountStatement({ StringEquals: { "sts:ExternalId": "abc-123" } })),
      rules: ["external-id-console"],
    },
    {
      name: "cross-account with MFA (console 'Require MFA')",
      setup: trust(accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } })),
      rules: ["mfa-virtual-device"],
    },
    {
      name: "the iam-simulate matrix trust: ExternalId + MFA, AssumeRole + TagSession",
      setup: trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: { "sts:ExternalId": "abc-123" }, Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
      rules: ["external-id-console", "mfa-virtual-device"],
    },
    {
      name: "the builder's broker + accounts + GitHub + SAML policy",
      setup: trust(
        { ...brokerStatement, Condition: { StringEquals: { "sts:ExternalId": "abc-123", "aws:PrincipalOrgID": "o-abc123def4" } } },
        accountStatement({ StringEquals: { "sts:ExternalId": "abc-123", "aws:PrincipalOrgID": "o-abc123def4" }, Bool: { "aws:MultiFactorAuthPresent": "true" } }),
        githubStatement(githubConditions),
        { Sid: "TrustSamlProviders", Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } },
      ),
      rules: ["external-id-console", "mfa-virtual-device"],
    },
  ];

  it.each(cases)("$name", ({ setup, rules }) => {
    expect(run(setup).map((f) => f.rule).sort()).toEqual([...rules].sort());
  });
});

// Issue 10: administrator-level permissions on a role that someone outside the organization (the
// registered accounts) can assume are an error unless the administrator allows them.
describe("privileged-external-trust", () => {
  const SAML = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
  const samlStatement: S = { Effect: "Allow", Principal: { Federated: SAML }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } } };
  const publicInOrg: S = { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } };
  const managed = (...arns: string[]): Setup => (p) => void (p.managedPolicyArns = arns);
  const privileged = (setup: Setup) => run(setup).filter((f) => f.rule === "privileged-external-trust");

  it.each<[string, Setup, string, string]>([
    ["AdministratorAccess, GitHub Actions", both(trust(githubStatement(githubConditions)), managed(ADMIN)), `managed:${ADMIN}`, `the identity provider ${GITHUB_PROVIDER}`],
    ["IAMFullAccess, a SAML provider", both(trust(samlStatement), managed("arn:aws:iam::aws:policy/IAMFullAccess")), "managed:arn:aws:iam::aws:policy/IAMFullAccess", `the identity provider ${SAML}`],
    ['Allow "*" on "*", {"AWS": "*"} even within an organization', both(trust(brokerStatement, publicInOrg), inline(policy({ Effect: "Allow", Action: "*", Resource: "*" }), "admin")), "inline:admin", '{"AWS": "*"}'],
    ['Allow "*:*" on "*", a role in an unregistered account', both(trust(unregistered), inline(policy({ Effect: "Allow", Action: "*:*", Resource: "*" }), "admin")), "inline:admin", "arn:aws:iam::555555555555:role/vendor"],
    ['iam:PassRole on "*", an unregistered account', both(trust(unregistered), inline(policy(readBucket.Statement[0]!, { Effect: "Allow", Action: ["ec2:RunInstances", "iam:PassRole"], Resource: "*" }), "ops")), "inline:ops", "555555555555"],
    ['NotAction on "*" (includes iam:PassRole), an OIDC provider', both(trust({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.example.com:aud": "app" } } }), inline(policy({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }), "almost-all")), "inline:almost-all", "oidc.example.com"],
  ])("refuses %s", (_name, setup, where, who) => {
    const [hit, ...more] = privileged(setup);
    expect(more).toEqual([]);
    expect(hit).toMatchObject({ severity: "error", where });
    expect(hit?.message).toContain(who);
    expect(hit?.fix).toBe("Trust only accounts in your organization, narrow the permissions, or set SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST=true.");
  });

  it.each<[string, Setup]>([
    ["AdministratorAccess for the console, a registered account and the role's own account", both(trust(brokerStatement, accountStatement({ Bool: { "aws:MultiFactorAuthPresent": "true" } }), { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ops` }, Action: "sts:AssumeRole" }), managed(ADMIN))],
    ["AdministratorAccess for an AWS service", both(trust(serviceStatement("ec2.amazonaws.com")), managed(ADMIN), (p) => void (p.instanceProfile = { name: "deploy", path: "/" }))],
    ["ReadOnlyAccess for GitHub Actions", both(trust(githubStatement(githubConditions)), managed("arn:aws:iam::aws:policy/ReadOnlyAccess"))],
    ["iam:PassRole on one role for an unregistered account", both(trust(unregistered), inline(policy({ Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/app` })))],
    ["AdministratorAccess denied to an outside principal only", both(trust(brokerStatement, { ...unregistered, Effect: "Deny" }), managed(ADMIN))],
  ])("allows %s", (_name, setup) => {
    expect(privileged(setup)).toEqual([]);
  });

  it("is a warning when the administrator allows it", () => {
    const findings = privileged(both(trust(githubStatement(githubConditions)), managed(ADMIN), (_p, c) => void (c.guardrails = { allowPrivilegedExternalTrust: true })));
    expect(findings).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringContaining("SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST allows this") })]);
  });
});
