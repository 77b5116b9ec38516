// The role's trust policy (AssumeRolePolicyDocument), built from the wizard's trusted entities the
// way AWS documents each kind. One statement per kind of entity, because kinds differ in the
// action they may call and the conditions that can apply to them:
//
//   TrustSwitchboardBroker  this console: AssumeRole + SetSourceIdentity, never the MFA condition
//   TrustAccounts / TrustPrincipals / TrustAwsPrincipals   account roots and role/user ARNs,
//                           with the ExternalId, MFA and organization conditions
//   TrustServices (+ one statement per service that needs more than sts:AssumeRole)
//   TrustGitHubActions      token.actions.githubusercontent.com, aud + sub
//   TrustOidcProvider[n]    one per OIDC entity (its aud and sub must be tested together)
//   TrustSamlProviders      SAML providers, SAML:aud = the partition's sign-in endpoint
//
// Output is deterministic: statements in that order, values sorted and de-duplicated; a single
// value is written as a string and several as an array, as AWS's own examples do.
import type { Partition } from "@/lib/domain/partitions";
import { SERVICE_PRINCIPALS } from "./schema";
import type { PlanContext, PolicyJson, TrustConditions, TrustedEntity, WizardDocument } from "./types";

export const TRUST_SIDS = {
  broker: "TrustSwitchboardBroker",
  accounts: "TrustAccounts",
  principals: "TrustPrincipals",
  awsPrincipals: "TrustAwsPrincipals",
  services: "TrustServices",
  github: "TrustGitHubActions",
  oidc: "TrustOidcProvider",
  saml: "TrustSamlProviders",
} as const;

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;

/** The broker sets SourceIdentity (the operator's identity, for CloudTrail), which the trust
 * policy must allow: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html */
export const BROKER_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity"];

export type TrustOptions = {
  /** Let the trusted accounts and principals set a SourceIdentity too (adds
   * sts:SetSourceIdentity to their statement and to their source-side policies). The
   * WizardDocument has no switch for it yet, so the plan never sets it. */
  sourceIdentity?: boolean;
};

type Statement = Record<string, unknown>;
type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** What the account and principal statement allows (and so what their callers need). */
export function awsPrincipalActions(options: TrustOptions = {}): string[] {
  return options.sourceIdentity ? ["sts:AssumeRole", "sts:SetSourceIdentity"] : ["sts:AssumeRole"];
}

/** A trust policy names a role session by its role: `arn:…:sts::A:assumed-role/R/s` becomes
 * `arn:…:iam::A:role/R`. The session ARN carries no path, so a broker role on a path other than
 * "/" must be given by its IAM ARN (see the report's open points). Other ARNs are kept as given.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session */
export function brokerPrincipalArn(brokerArn: string): string {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(brokerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : brokerArn;
}

/** The service principal as the partition's IAM expects it. In the China partition EC2's is
 * `ec2.amazonaws.com.cn` (the China IAM console's EC2 template; EKS refuses node roles without
 * it, awslabs/cdk-eks-blueprints#558; hashicorp/terraform-provider-aws#47141); every other
 * service the wizard offers uses `<service>.amazonaws.com` everywhere (aws-cdk region-info). */
export function servicePrincipal(service: string, partition: Partition): string {
  if (partition === "aws-cn" && service === "ec2.amazonaws.com") return "ec2.amazonaws.com.cn";
  return service;
}

/** The `sub` claim GitHub puts in a workflow's token for a branch, tag, environment or pull
 * request. https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims */
export function githubSubject(entity: Extract<TrustedEntity, { kind: "github" }>): string {
  const repo = `repo:${entity.owner}/${entity.repo}`;
  switch (entity.ref.type) {
    case "branch":
      return `${repo}:ref:refs/heads/${entity.ref.name}`;
    case "tag":
      return `${repo}:ref:refs/tags/${entity.ref.name}`;
    case "environment":
      return `${repo}:environment:${entity.ref.name}`;
    case "pull_request":
      return `${repo}:pull_request`;
  }
}

/** The audience configure-aws-credentials requests: `sts.amazonaws.com`, except in the China
 * partition, whose STS expects `sts.amazonaws.com.cn` (aws-actions/configure-aws-credentials
 * README "OIDC audience"; issue #457). The provider's client ID list must contain it. */
export function githubAudience(partition: Partition): string {
  return partition === "aws-cn" ? "sts.amazonaws.com.cn" : "sts.amazonaws.com";
}

export function githubProviderArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

// The SAML 2.0 sign-in endpoint (the assertion's Recipient, tested as SAML:aud) per partition.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_relying-party.html
// GovCloud and China: the IdP set-ups' ACS URLs (saml2aws, Okta, aws-cdk SamlConsolePrincipal).
// The European Sovereign Cloud's is inferred from its sign-in host (lib/aws/partitions.ts).
const SAML_ENDPOINTS: Record<Partition, string> = {
  aws: "https://signin.aws.amazon.com/saml",
  "aws-us-gov": "https://signin.amazonaws-us-gov.com/saml",
  "aws-cn": "https://signin.amazonaws.cn/saml",
  "aws-eusc": "https://signin.amazonaws-eusc.eu/saml",
};

export function samlAudience(partition: Partition): string {
  return SAML_ENDPOINTS[partition];
}

/** An OIDC provider's condition keys are prefixed with its URL without https:// — the ARN's
 * resource after `oidc-provider/` (e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC:sub`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif */
export function oidcConditionPrefix(providerArn: string): string {
  const at = providerArn.indexOf(":oidc-provider/");
  return at === -1 ? providerArn : providerArn.slice(at + ":oidc-provider/".length);
}

/** One value as a string, several as a sorted array without duplicates. */
function one(values: readonly string[]): string | string[] {
  const sorted = [...new Set(values)].sort();
  return sorted.length === 1 ? sorted[0]! : sorted;
}

function statement(sid: string, principal: Record<string, string | string[]>, action: string | string[], condition?: ConditionBlock): Statement {
  return { Sid: sid, Effect: "Allow", Principal: principal, Action: action, ...(condition && { Condition: condition }) };
}

/** The conditions of the AWS-principal statements. MFA is left out of the broker's statement:
 * the broker calls STS with its own credentials and cannot present MFA.
 * ExternalId: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * MFA: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
 * Organization: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid */
function awsConditions(conditions: TrustConditions, opts: { mfa: boolean }): ConditionBlock | undefined {
  const equals: Record<string, string> = {};
  if (conditions.externalId) equals["sts:ExternalId"] = conditions.externalId;
  if (conditions.organizationId) equals["aws:PrincipalOrgID"] = conditions.organizationId;
  const block: ConditionBlock = {};
  if (Object.keys(equals).length > 0) block.StringEquals = equals;
  if (opts.mfa && conditions.requireMfa) block.Bool = { "aws:MultiFactorAuthPresent": "true" };
  return Object.keys(block).length > 0 ? block : undefined;
}

function ofKind<K extends TrustedEntity["kind"]>(entities: readonly TrustedEntity[], kind: K): Array<Extract<TrustedEntity, { kind: K }>> {
  return entities.filter((e): e is Extract<TrustedEntity, { kind: K }> => e.kind === kind);
}

/** The trust policy for the document's entities and conditions. Expects a document that passed
 * `wizardDocumentInput`; it does not re-validate. */
export function buildTrustPolicy(doc: WizardDocument, ctx: Pick<PlanContext, "partition" | "broker">, options: TrustOptions = {}): PolicyJson {
  const { partition } = ctx;
  const { entities, conditions } = doc.trust;
  const statements: Statement[] = [];

  if (entities.some((e) => e.kind === "broker")) {
    statements.push(statement(TRUST_SIDS.broker, { AWS: brokerPrincipalArn(ctx.broker.arn) }, BROKER_ACTIONS, awsConditions(conditions, { mfa: false })));
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
  const roots = ofKind(entities, "account").map((e) => `arn:${partition}:iam::${e.accountId}:root`);
  const arns = ofKind(entities, "principal").map((e) => e.arn);
  if (roots.length + arns.length > 0) {
    const sid = arns.length === 0 ? TRUST_SIDS.accounts : roots.length === 0 ? TRUST_SIDS.principals : TRUST_SIDS.awsPrincipals;
    const actions = awsPrincipalActions(options);
    statements.push(statement(sid, { AWS: one([...roots, ...arns]) }, actions.length === 1 ? actions[0]! : actions, awsConditions(conditions, { mfa: true })));
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html
  // Services that need more than sts:AssumeRole get a statement each, in the table's order.
  const services = new Set(ofKind(entities, "service").map((e) => e.service));
  const own = SERVICE_PRINCIPALS.filter((s) => "actions" in s);
  const plain = [...services].filter((service) => !own.some((s) => s.principal === service)).map((service) => servicePrincipal(service, partition));
  if (plain.length > 0) statements.push(statement(TRUST_SIDS.services, { Service: one(plain) }, "sts:AssumeRole"));
  for (const s of own) {
    if ("actions" in s && services.has(s.principal)) statements.push(statement(s.sid, { Service: servicePrincipal(s.principal, partition) }, [...s.actions]));
  }

  // GitHub's "Configuring OpenID Connect in Amazon Web Services": aud and sub with StringEquals.
  // https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
  const github = ofKind(entities, "github");
  if (github.length > 0) {
    statements.push(
      statement(TRUST_SIDS.github, { Federated: githubProviderArn(partition, doc.target.accountId) }, "sts:AssumeRoleWithWebIdentity", {
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: githubAudience(partition), [`${GITHUB_OIDC_HOST}:sub`]: one(github.map(githubSubject)) },
      }),
    );
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
  const oidc = new Map<string, Extract<TrustedEntity, { kind: "oidc" }>>();
  for (const e of ofKind(entities, "oidc")) oidc.set(JSON.stringify([e.providerArn, e.audience, e.subject ?? ""]), e);
  const oidcEntities = [...oidc.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  oidcEntities.forEach((e, i) => {
    const prefix = oidcConditionPrefix(e.providerArn);
    const equals: Record<string, string> = { [`${prefix}:aud`]: e.audience };
    const block: ConditionBlock = { StringEquals: equals };
    // A subject with * or ? is a pattern, which only StringLike matches (terraform's
    // oidc_subjects_with_wildcards); the lint rules warn about it.
    if (e.subject !== undefined && /[*?]/.test(e.subject)) block.StringLike = { [`${prefix}:sub`]: e.subject };
    else if (e.subject !== undefined) equals[`${prefix}:sub`] = e.subject;
    const sid = oidcEntities.length === 1 ? TRUST_SIDS.oidc : `${TRUST_SIDS.oidc}${i + 1}`;
    statements.push(statement(sid, { Federated: e.providerArn }, "sts:AssumeRoleWithWebIdentity", block));
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
  const saml = ofKind(entities, "saml").map((e) => e.providerArn);
  if (saml.length > 0) {
    statements.push(statement(TRUST_SIDS.saml, { Federated: one(saml) }, "sts:AssumeRoleWithSAML", { StringEquals: { "SAML:aud": samlAudience(partition) } }));
  }

  return { Version: "2012-10-17", Statement: statements };
}
