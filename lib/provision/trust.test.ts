// The trust policy for every kind of trusted entity, with and without each condition, compared
// as whole documents; then the properties that must hold for all of them (IAM's grammar,
// determinism) and what lib/policy's evaluator decides for the callers they are meant for.
import { describe, expect, it } from "vitest";
import type { Partition } from "@/lib/domain/partitions";
import { evaluatePolicies, parsePolicy } from "@/lib/policy";
import type { RequestContext, RequestPrincipal } from "@/lib/policy/types";
import { brokerPrincipalArn, buildTrustPolicy, githubSubject, oidcConditionPrefix, samlAudience, servicePrincipal } from "./trust";
import type { PolicyJson, TrustConditions, TrustedEntity, WizardDocument } from "./types";

const TARGET = "111111111111";
const OTHER = "222222222222";
const THIRD = "333333333333";
const BROKER_ACCOUNT = "999999999999";
const BROKER_SESSION = `arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/SwitchboardBroker/switchboard`;
const BROKER_ROLE = `arn:aws:iam::${BROKER_ACCOUNT}:role/SwitchboardBroker`;
const EXTERNAL_ID = "Zq8v2LkT0pXw9sYb3nRc6mHd1fGa4eJu";
const ORG = "o-a1b2c3d4e5";
const GITHUB_PROVIDER = `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`;
const EKS_PROVIDER = `arn:aws:iam::${TARGET}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
const EKS_HOST = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const SAML_PROVIDER = `arn:aws:iam::${TARGET}:saml-provider/CorpIdP`;

function doc(entities: TrustedEntity[], conditions: TrustConditions = {}): WizardDocument {
  return {
    target: { accountId: TARGET, roleName: "Deployer", path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    trust: { entities, conditions },
    permissions: { managedPolicyArns: [], inline: [] },
    applySourcePolicies: [],
  };
}

function trust(entities: TrustedEntity[], conditions: TrustConditions = {}, partition: Partition = "aws", brokerArn = BROKER_SESSION): PolicyJson {
  return buildTrustPolicy(doc(entities, conditions), { partition, broker: { arn: brokerArn, accountId: BROKER_ACCOUNT, temporary: true } });
}

const policy = (...Statement: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement });

const ALL_CONDITIONS: TrustConditions = { externalId: EXTERNAL_ID, requireMfa: true, organizationId: ORG };

// ---- Every kind of entity, with every condition ---------------------------------------------

type Case = [name: string, entities: TrustedEntity[], conditions: TrustConditions, expected: PolicyJson];

const brokerCases: Case[] = [
  [
    "broker (a role session): its role's ARN, AssumeRole and SetSourceIdentity",
    [{ kind: "broker" }],
    {},
    policy({ Sid: "TrustSwitchboardBroker", Effect: "Allow", Principal: { AWS: BROKER_ROLE }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }),
  ],
  [
    "broker + ExternalId",
    [{ kind: "broker" }],
    { externalId: EXTERNAL_ID },
    policy({
      Sid: "TrustSwitchboardBroker",
      Effect: "Allow",
      Principal: { AWS: BROKER_ROLE },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
    }),
  ],
  [
    "broker + MFA: no MFA condition (the broker cannot present MFA)",
    [{ kind: "broker" }],
    { requireMfa: true },
    policy({ Sid: "TrustSwitchboardBroker", Effect: "Allow", Principal: { AWS: BROKER_ROLE }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }),
  ],
  [
    "broker + organization",
    [{ kind: "broker" }],
    { organizationId: ORG },
    policy({
      Sid: "TrustSwitchboardBroker",
      Effect: "Allow",
      Principal: { AWS: BROKER_ROLE },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
    }),
  ],
  [
    "broker + every condition: ExternalId and organization, still no MFA",
    [{ kind: "broker" }],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustSwitchboardBroker",
      Effect: "Allow",
      Principal: { AWS: BROKER_ROLE },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": ORG } },
    }),
  ],
];

const accountCases: Case[] = [
  [
    "account: its root, as the console writes it",
    [{ kind: "account", accountId: OTHER }],
    {},
    policy({ Sid: "TrustAccounts", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }),
  ],
  [
    "account + ExternalId",
    [{ kind: "account", accountId: OTHER }],
    { externalId: EXTERNAL_ID },
    policy({
      Sid: "TrustAccounts",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
    }),
  ],
  [
    "account + MFA",
    [{ kind: "account", accountId: OTHER }],
    { requireMfa: true },
    policy({
      Sid: "TrustAccounts",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }),
  ],
  [
    "account + MFA explicitly off",
    [{ kind: "account", accountId: OTHER }],
    { requireMfa: false },
    policy({ Sid: "TrustAccounts", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }),
  ],
  [
    "account + organization",
    [{ kind: "account", accountId: OTHER }],
    { organizationId: ORG },
    policy({
      Sid: "TrustAccounts",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
    }),
  ],
  [
    "two accounts + every condition: one statement, roots sorted",
    [
      { kind: "account", accountId: THIRD },
      { kind: "account", accountId: OTHER },
    ],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustAccounts",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${THIRD}:root`] },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": ORG }, Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }),
  ],
];

const ROLE_ARN = `arn:aws:iam::${OTHER}:role/ci/Deployer`;
const USER_ARN = `arn:aws:iam::${THIRD}:user/alice`;

const principalCases: Case[] = [
  [
    "a role ARN, as given (with its path)",
    [{ kind: "principal", arn: ROLE_ARN }],
    {},
    policy({ Sid: "TrustPrincipals", Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: "sts:AssumeRole" }),
  ],
  [
    "a role and a user + MFA",
    [
      { kind: "principal", arn: USER_ARN },
      { kind: "principal", arn: ROLE_ARN },
    ],
    { requireMfa: true },
    policy({
      Sid: "TrustPrincipals",
      Effect: "Allow",
      Principal: { AWS: [ROLE_ARN, USER_ARN] },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }),
  ],
  [
    "a user + ExternalId + organization",
    [{ kind: "principal", arn: USER_ARN }],
    { externalId: EXTERNAL_ID, organizationId: ORG },
    policy({
      Sid: "TrustPrincipals",
      Effect: "Allow",
      Principal: { AWS: USER_ARN },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": ORG } },
    }),
  ],
  [
    "accounts and principals share one statement (same conditions)",
    [
      { kind: "principal", arn: ROLE_ARN },
      { kind: "account", accountId: THIRD },
    ],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustAwsPrincipals",
      Effect: "Allow",
      Principal: { AWS: [ROLE_ARN, `arn:aws:iam::${THIRD}:root`] },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": ORG }, Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }),
  ],
  [
    "broker + account + MFA: the broker in its own statement without MFA",
    [{ kind: "account", accountId: OTHER }, { kind: "broker" }],
    { requireMfa: true },
    policy(
      { Sid: "TrustSwitchboardBroker", Effect: "Allow", Principal: { AWS: BROKER_ROLE }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] },
      {
        Sid: "TrustAccounts",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ),
  ],
];

const serviceCases: Case[] = [
  [
    "EC2, exactly the statement the IAM console's Create role wizard writes (plus its Sid)",
    [{ kind: "service", service: "ec2.amazonaws.com" }],
    {},
    policy({ Sid: "TrustServices", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
  ],
  [
    "several services, sorted; the AWS-principal conditions do not apply to them",
    [
      { kind: "service", service: "lambda.amazonaws.com" },
      { kind: "service", service: "ecs-tasks.amazonaws.com" },
      { kind: "service", service: "codebuild.amazonaws.com" },
    ],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustServices",
      Effect: "Allow",
      Principal: { Service: ["codebuild.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] },
      Action: "sts:AssumeRole",
    }),
  ],
  [
    "IAM Roles Anywhere: its own statement with the three actions it needs",
    [
      { kind: "service", service: "rolesanywhere.amazonaws.com" },
      { kind: "service", service: "states.amazonaws.com" },
    ],
    {},
    policy(
      { Sid: "TrustServices", Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" },
      {
        Sid: "TrustIamRolesAnywhere",
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      },
    ),
  ],
  [
    "EKS Pod Identity: AssumeRole and TagSession",
    [{ kind: "service", service: "pods.eks.amazonaws.com" }],
    {},
    policy({ Sid: "TrustEksPodIdentity", Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }),
  ],
];

const githubCases: Case[] = [
  [
    "GitHub, one branch: exactly the statement GitHub's OIDC guide for AWS gives (plus its Sid)",
    [{ kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "branch", name: "main" } }],
    {},
    policy({
      Sid: "TrustGitHubActions",
      Effect: "Allow",
      Principal: { Federated: GITHUB_PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main",
        },
      },
    }),
  ],
  [
    "GitHub: tag, environment and pull requests in one statement, subjects sorted; no AWS conditions",
    [
      { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "tag", name: "v1.2.0" } },
      { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "environment", name: "production" } },
      { kind: "github", owner: "octo-org", repo: "web", ref: { type: "pull_request" } },
    ],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustGitHubActions",
      Effect: "Allow",
      Principal: { Federated: GITHUB_PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": [
            "repo:octo-org/octo-repo:environment:production",
            "repo:octo-org/octo-repo:ref:refs/tags/v1.2.0",
            "repo:octo-org/web:pull_request",
          ],
        },
      },
    }),
  ],
];

const oidcCases: Case[] = [
  [
    "OIDC with an audience only",
    [{ kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com" }],
    {},
    policy({
      Sid: "TrustOidcProvider",
      Effect: "Allow",
      Principal: { Federated: EKS_PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com" } },
    }),
  ],
  [
    "OIDC with audience and subject (the EKS IRSA form); no AWS conditions",
    [{ kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com", subject: "system:serviceaccount:payments:api" }],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustOidcProvider",
      Effect: "Allow",
      Principal: { Federated: EKS_PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com", [`${EKS_HOST}:sub`]: "system:serviceaccount:payments:api" } },
    }),
  ],
  [
    "OIDC with a wildcard subject: StringLike for sub",
    [{ kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com", subject: "system:serviceaccount:payments:*" }],
    {},
    policy({
      Sid: "TrustOidcProvider",
      Effect: "Allow",
      Principal: { Federated: EKS_PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${EKS_HOST}:sub`]: "system:serviceaccount:payments:*" } },
    }),
  ],
  [
    "two OIDC entities: one statement each (aud and sub must match together), numbered",
    [
      { kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com", subject: "system:serviceaccount:b:api" },
      { kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com", subject: "system:serviceaccount:a:api" },
    ],
    {},
    policy(
      {
        Sid: "TrustOidcProvider1",
        Effect: "Allow",
        Principal: { Federated: EKS_PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com", [`${EKS_HOST}:sub`]: "system:serviceaccount:a:api" } },
      },
      {
        Sid: "TrustOidcProvider2",
        Effect: "Allow",
        Principal: { Federated: EKS_PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com", [`${EKS_HOST}:sub`]: "system:serviceaccount:b:api" } },
      },
    ),
  ],
];

const samlCases: Case[] = [
  [
    "SAML, as the console's 'programmatic and console access' option writes it",
    [{ kind: "saml", providerArn: SAML_PROVIDER }],
    {},
    policy({
      Sid: "TrustSamlProviders",
      Effect: "Allow",
      Principal: { Federated: SAML_PROVIDER },
      Action: "sts:AssumeRoleWithSAML",
      Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
    }),
  ],
  [
    "two SAML providers share a statement; no AWS conditions",
    [
      { kind: "saml", providerArn: SAML_PROVIDER },
      { kind: "saml", providerArn: `arn:aws:iam::${TARGET}:saml-provider/AzureAD` },
    ],
    ALL_CONDITIONS,
    policy({
      Sid: "TrustSamlProviders",
      Effect: "Allow",
      Principal: { Federated: [`arn:aws:iam::${TARGET}:saml-provider/AzureAD`, SAML_PROVIDER] },
      Action: "sts:AssumeRoleWithSAML",
      Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
    }),
  ],
];

const ALL_CASES = [...brokerCases, ...accountCases, ...principalCases, ...serviceCases, ...githubCases, ...oidcCases, ...samlCases];

describe("buildTrustPolicy", () => {
  it.each(ALL_CASES)("%s", (_, entities, conditions, expected) => {
    expect(trust(entities, conditions)).toEqual(expected);
  });

  it("writes every kind in a fixed order: broker, AWS principals, services, GitHub, OIDC, SAML", () => {
    const everything: TrustedEntity[] = [
      { kind: "saml", providerArn: SAML_PROVIDER },
      { kind: "oidc", providerArn: EKS_PROVIDER, audience: "sts.amazonaws.com" },
      { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "branch", name: "main" } },
      { kind: "service", service: "rolesanywhere.amazonaws.com" },
      { kind: "service", service: "ec2.amazonaws.com" },
      { kind: "principal", arn: ROLE_ARN },
      { kind: "account", accountId: OTHER },
      { kind: "broker" },
    ];
    expect(trust(everything, ALL_CONDITIONS).Statement.map((s) => s.Sid)).toEqual([
      "TrustSwitchboardBroker",
      "TrustAwsPrincipals",
      "TrustServices",
      "TrustIamRolesAnywhere",
      "TrustGitHubActions",
      "TrustOidcProvider",
      "TrustSamlProviders",
    ]);
  });

  it("does not depend on the order of the entities, and drops duplicates", () => {
    const entities: TrustedEntity[] = [
      { kind: "account", accountId: THIRD },
      { kind: "principal", arn: ROLE_ARN },
      { kind: "service", service: "lambda.amazonaws.com" },
      { kind: "github", owner: "o", repo: "r", ref: { type: "tag", name: "v1" } },
      { kind: "github", owner: "o", repo: "r", ref: { type: "branch", name: "main" } },
      { kind: "oidc", providerArn: EKS_PROVIDER, audience: "a" },
      { kind: "oidc", providerArn: EKS_PROVIDER, audience: "b" },
      { kind: "broker" },
    ];
    const forward = trust(entities, ALL_CONDITIONS);
    expect(trust([...entities].reverse(), ALL_CONDITIONS)).toEqual(forward);
    expect(trust([...entities, ...entities], ALL_CONDITIONS)).toEqual(forward);
  });

  it("names the broker by the ARN it is given when it is a user or a role", () => {
    const user = `arn:aws:iam::${BROKER_ACCOUNT}:user/switchboard`;
    expect(trust([{ kind: "broker" }], {}, "aws", user).Statement[0]?.Principal).toEqual({ AWS: user });
    const role = `arn:aws:iam::${BROKER_ACCOUNT}:role/apps/Switchboard`;
    expect(trust([{ kind: "broker" }], {}, "aws", role).Statement[0]?.Principal).toEqual({ AWS: role });
  });

  it("can let AWS principals set a SourceIdentity (not used by the plan yet)", () => {
    const result = buildTrustPolicy(doc([{ kind: "account", accountId: OTHER }]), { partition: "aws", broker: { arn: BROKER_SESSION, accountId: BROKER_ACCOUNT, temporary: true } }, { sourceIdentity: true });
    expect(result.Statement[0]?.Action).toEqual(["sts:AssumeRole", "sts:SetSourceIdentity"]);
  });
});

describe("partitions", () => {
  const ctxFor = (partition: Partition) => `arn:${partition}:sts::${BROKER_ACCOUNT}:assumed-role/SwitchboardBroker/switchboard`;

  it.each<[Partition, string, string]>([
    ["aws-us-gov", "https://signin.amazonaws-us-gov.com/saml", "sts.amazonaws.com"],
    ["aws-cn", "https://signin.amazonaws.cn/saml", "sts.amazonaws.com.cn"],
  ])("%s: ARNs, SAML endpoint and GitHub audience of the partition", (partition, samlEndpoint, audience) => {
    const entities: TrustedEntity[] = [
      { kind: "broker" },
      { kind: "account", accountId: OTHER },
      { kind: "service", service: "ecs-tasks.amazonaws.com" },
      { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "branch", name: "main" } },
      { kind: "saml", providerArn: `arn:${partition}:iam::${TARGET}:saml-provider/CorpIdP` },
    ];
    expect(trust(entities, {}, partition, ctxFor(partition))).toEqual(
      policy(
        {
          Sid: "TrustSwitchboardBroker",
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${BROKER_ACCOUNT}:role/SwitchboardBroker` },
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        },
        { Sid: "TrustAccounts", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${OTHER}:root` }, Action: "sts:AssumeRole" },
        { Sid: "TrustServices", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
        {
          Sid: "TrustGitHubActions",
          Effect: "Allow",
          Principal: { Federated: `arn:${partition}:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": audience,
              "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main",
            },
          },
        },
        {
          Sid: "TrustSamlProviders",
          Effect: "Allow",
          Principal: { Federated: `arn:${partition}:iam::${TARGET}:saml-provider/CorpIdP` },
          Action: "sts:AssumeRoleWithSAML",
          Condition: { StringEquals: { "SAML:aud": samlEndpoint } },
        },
      ),
    );
  });

  it("uses ec2.amazonaws.com.cn for EC2 in the China partition only", () => {
    expect(servicePrincipal("ec2.amazonaws.com", "aws-cn")).toBe("ec2.amazonaws.com.cn");
    expect(servicePrincipal("ec2.amazonaws.com", "aws-us-gov")).toBe("ec2.amazonaws.com");
    expect(servicePrincipal("lambda.amazonaws.com", "aws-cn")).toBe("lambda.amazonaws.com");
    expect(trust([{ kind: "service", service: "ec2.amazonaws.com" }], {}, "aws-cn").Statement[0]?.Principal).toEqual({ Service: "ec2.amazonaws.com.cn" });
  });

  it.each<[Partition, string]>([
    ["aws", "https://signin.aws.amazon.com/saml"],
    ["aws-us-gov", "https://signin.amazonaws-us-gov.com/saml"],
    ["aws-cn", "https://signin.amazonaws.cn/saml"],
    ["aws-eusc", "https://signin.amazonaws-eusc.eu/saml"],
  ])("SAML:aud in %s is %s", (partition, endpoint) => {
    expect(samlAudience(partition)).toBe(endpoint);
  });
});

describe("helpers", () => {
  it.each([
    [BROKER_SESSION, BROKER_ROLE],
    ["arn:aws-us-gov:sts::123456789012:assumed-role/Ops/i-0abc12345def67890", "arn:aws-us-gov:iam::123456789012:role/Ops"],
    ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_abc123/alice@example.com", "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_abc123"],
    ["arn:aws:iam::123456789012:user/switchboard", "arn:aws:iam::123456789012:user/switchboard"],
    ["arn:aws:iam::123456789012:role/path/Broker", "arn:aws:iam::123456789012:role/path/Broker"],
  ])("brokerPrincipalArn(%s) is %s", (input, expected) => {
    expect(brokerPrincipalArn(input)).toBe(expected);
  });

  it.each<[Extract<TrustedEntity, { kind: "github" }>["ref"], string]>([
    [{ type: "branch", name: "release/2.x" }, "repo:o/r:ref:refs/heads/release/2.x"],
    [{ type: "tag", name: "v2.0.0" }, "repo:o/r:ref:refs/tags/v2.0.0"],
    [{ type: "environment", name: "Production EU" }, "repo:o/r:environment:Production EU"],
    [{ type: "pull_request" }, "repo:o/r:pull_request"],
  ])("githubSubject(%j) is %s", (ref, expected) => {
    expect(githubSubject({ kind: "github", owner: "o", repo: "r", ref })).toBe(expected);
  });

  it("takes the OIDC condition prefix from the provider ARN", () => {
    expect(oidcConditionPrefix(EKS_PROVIDER)).toBe(EKS_HOST);
    expect(oidcConditionPrefix(GITHUB_PROVIDER)).toBe("token.actions.githubusercontent.com");
  });
});

// ---- Properties of every generated policy ---------------------------------------------------

describe("every generated trust policy", () => {
  it.each(ALL_CASES)("is valid IAM trust-policy grammar: %s", (_, entities, conditions) => {
    const parsed = parsePolicy(trust(entities, conditions), "trust");
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("has unique Sids", () => {
    for (const [, entities, conditions] of ALL_CASES) {
      const sids = trust(entities, conditions).Statement.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
    }
  });
});

// ---- What the policies allow, according to lib/policy's evaluator ----------------------------

describe("who the trust policy lets in", () => {
  const roleArn = `arn:aws:iam::${TARGET}:role/Deployer`;
  const decide = (p: PolicyJson, principal: RequestPrincipal, action: string, context: RequestContext = {}) => {
    const parsed = parsePolicy(p, "trust");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return evaluatePolicies([{ name: "trust", policy: parsed.policy }], { principal, action, resource: roleArn, resourceAccount: TARGET, context }, "resource").decision;
  };
  const broker: RequestPrincipal = { type: "assumed-role", arn: BROKER_SESSION, accountId: BROKER_ACCOUNT, roleArn: BROKER_ROLE };
  const alice: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${OTHER}:user/alice`, accountId: OTHER };
  const mallory: RequestPrincipal = { type: "user", arn: `arn:aws:iam::${THIRD}:user/mallory`, accountId: THIRD };

  it("lets the broker in without MFA when MFA is required of everyone else, and keeps its ExternalId", () => {
    const p = trust([{ kind: "broker" }, { kind: "account", accountId: OTHER }], { externalId: EXTERNAL_ID, requireMfa: true });
    expect(decide(p, broker, "sts:AssumeRole", { "sts:ExternalId": EXTERNAL_ID })).toBe("Allow");
    expect(decide(p, broker, "sts:SetSourceIdentity", { "sts:ExternalId": EXTERNAL_ID })).toBe("Allow");
    expect(decide(p, broker, "sts:AssumeRole")).toBe("ImplicitDeny");
    expect(decide(p, alice, "sts:AssumeRole", { "sts:ExternalId": EXTERNAL_ID })).toBe("ImplicitDeny");
    expect(decide(p, alice, "sts:AssumeRole", { "sts:ExternalId": EXTERNAL_ID, "aws:MultiFactorAuthPresent": "true" })).toBe("Allow");
    expect(decide(p, alice, "sts:SetSourceIdentity", { "sts:ExternalId": EXTERNAL_ID, "aws:MultiFactorAuthPresent": "true" })).toBe("ImplicitDeny");
    expect(decide(p, mallory, "sts:AssumeRole", { "sts:ExternalId": EXTERNAL_ID, "aws:MultiFactorAuthPresent": "true" })).toBe("ImplicitDeny");
  });

  it("holds principals to the organization", () => {
    const p = trust([{ kind: "account", accountId: OTHER }], { organizationId: ORG });
    expect(decide(p, alice, "sts:AssumeRole", { "aws:PrincipalOrgID": ORG })).toBe("Allow");
    expect(decide(p, alice, "sts:AssumeRole", { "aws:PrincipalOrgID": "o-zzzzzzzzzz" })).toBe("ImplicitDeny");
  });

  it("lets only the named GitHub ref in", () => {
    const p = trust([{ kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "environment", name: "production" } }]);
    const github: RequestPrincipal = { type: "federated", provider: GITHUB_PROVIDER };
    const claims = (sub: string) => ({ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub });
    expect(decide(p, github, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:environment:production"))).toBe("Allow");
    expect(decide(p, github, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/main"))).toBe("ImplicitDeny");
    expect(decide(p, github, "sts:AssumeRole", claims("repo:octo-org/octo-repo:environment:production"))).toBe("ImplicitDeny");
  });

  it("lets EC2 in, and no other service", () => {
    const p = trust([{ kind: "service", service: "ec2.amazonaws.com" }]);
    expect(decide(p, { type: "service", service: "ec2.amazonaws.com" }, "sts:AssumeRole")).toBe("Allow");
    expect(decide(p, { type: "service", service: "lambda.amazonaws.com" }, "sts:AssumeRole")).toBe("ImplicitDeny");
  });
});
