// Plans for the export tests, written by hand (not built by the plan builder) so the exports are
// tested on their own. Each is what the wizard would produce for one kind of role.

import type { Plan, PolicyJson } from "@/lib/provision/types";
import type { ExportOptions } from "./index";

const policy = (...Statement: Array<Record<string, unknown>>): PolicyJson => ({ Version: "2012-10-17", Statement });

const assumeRole = (roleArn: string) => policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn });

/** The IAM tutorial's cross-account role: developers in another account read one bucket.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html */
const DELEGATE_ARN = "arn:aws:iam::111111111111:role/delegate_read_my_bucket";
export const delegateReadMyBucket: Plan = {
  accountId: "111111111111",
  partition: "aws",
  roleName: "delegate_read_my_bucket",
  path: "/",
  roleArn: DELEGATE_ARN,
  description: "Lets the development account read productionapp",
  maxSessionDuration: 3600,
  tags: [{ key: "owner", value: "platform" }],
  permissionsBoundaryArn: null,
  trustPolicy: policy(
    {
      Sid: "SwitchboardBroker",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:role/switchboard-broker" },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
    },
    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" },
    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:role/analytics/etl-runner" }, Action: "sts:AssumeRole" },
  ),
  inlinePolicies: [
    {
      name: "read_my_bucket",
      document: policy(
        { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::productionapp" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::productionapp/*" },
      ),
    },
  ],
  managedPolicyArns: [],
  instanceProfile: null,
  oidcProvider: null,
  sourcePolicies: [
    { accountId: "222222222222", principal: "any principal in 222222222222", policyName: "assume-delegate_read_my_bucket", document: assumeRole(DELEGATE_ARN), apply: true },
    {
      accountId: "333333333333",
      principal: "arn:aws:iam::333333333333:role/analytics/etl-runner",
      policyName: "assume-delegate_read_my_bucket",
      document: assumeRole(DELEGATE_ARN),
      apply: false,
    },
  ],
  effectiveSessionSeconds: 3600,
  findings: [
    {
      rule: "cross-account-no-condition",
      severity: "warning",
      message: "Account 222222222222 is trusted without an ExternalId or MFA condition.",
      where: "trust",
    },
  ],
};

/** An EC2 role: the service trust, two AWS managed policies, a same-name instance profile. */
export const ec2AppServer: Plan = {
  accountId: "444444444444",
  partition: "aws",
  roleName: "app-server",
  path: "/ec2/",
  roleArn: "arn:aws:iam::444444444444:role/ec2/app-server",
  description: "",
  maxSessionDuration: 3600,
  tags: [],
  permissionsBoundaryArn: null,
  trustPolicy: policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
  inlinePolicies: [],
  managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
  instanceProfile: { name: "app-server", path: "/ec2/" },
  oidcProvider: null,
  sourcePolicies: [],
  effectiveSessionSeconds: 3600,
  findings: [],
};

/** GitHub Actions deploying one repository's production environment, in an account that has no
 * token.actions.githubusercontent.com provider yet. */
export const githubDeploy: Plan = {
  accountId: "555555555555",
  partition: "aws",
  roleName: "github-deploy-web",
  path: "/ci/",
  roleArn: "arn:aws:iam::555555555555:role/ci/github-deploy-web",
  description: "GitHub Actions: acme/web, environment production",
  maxSessionDuration: 3600,
  tags: [
    { key: "repository", value: "acme/web" },
    { key: "managed-by", value: "switchboard" },
  ],
  permissionsBoundaryArn: null,
  trustPolicy: policy({
    Sid: "GitHubActions",
    Effect: "Allow",
    Principal: { Federated: "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com" },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:acme/web:environment:production",
      },
    },
  }),
  inlinePolicies: [
    {
      name: "codedeploy-deploy",
      document: policy({
        Effect: "Allow",
        Action: ["codedeploy:CreateDeployment", "codedeploy:GetApplicationRevision", "codedeploy:GetDeployment", "codedeploy:GetDeploymentConfig", "codedeploy:RegisterApplicationRevision"],
        Resource: [
          "arn:aws:codedeploy:*:555555555555:application:web",
          "arn:aws:codedeploy:*:555555555555:deploymentgroup:web/*",
          "arn:aws:codedeploy:*:555555555555:deploymentconfig:*",
        ],
      }),
    },
  ],
  managedPolicyArns: [],
  instanceProfile: null,
  oidcProvider: {
    url: "https://token.actions.githubusercontent.com",
    clientIds: ["sts.amazonaws.com"],
    arn: "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com",
  },
  sourcePolicies: [],
  effectiveSessionSeconds: 3600,
  findings: [],
};

/** A third party's audit role in GovCloud: ExternalId and MFA, a permissions boundary, tags. */
export const govCloudVendorAudit: Plan = {
  accountId: "666666666666",
  partition: "aws-us-gov",
  roleName: "vendor-audit",
  path: "/third-party/",
  roleArn: "arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit",
  description: "Read-only audit access for Example Corp",
  maxSessionDuration: 43200,
  tags: [
    { key: "owner", value: "security@example.com" },
    { key: "cost-center", value: "1234" },
    { key: "vendor", value: "Example Corp" },
  ],
  permissionsBoundaryArn: "arn:aws-us-gov:iam::666666666666:policy/ThirdPartyBoundary",
  trustPolicy: policy({
    Effect: "Allow",
    Principal: { AWS: "arn:aws-us-gov:iam::777777777777:root" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": "ExampleCorp-7f3c9e21" }, Bool: { "aws:MultiFactorAuthPresent": "true" } },
  }),
  inlinePolicies: [],
  managedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/SecurityAudit"],
  instanceProfile: null,
  oidcProvider: null,
  sourcePolicies: [
    {
      accountId: "777777777777",
      principal: "any principal in 777777777777",
      policyName: "assume-vendor-audit",
      document: assumeRole("arn:aws-us-gov:iam::666666666666:role/third-party/vendor-audit"),
      apply: false,
    },
  ],
  // A third party's callers are usually role sessions themselves: chaining caps them at 1 hour.
  effectiveSessionSeconds: 3600,
  findings: [],
};

/** Everything a renderer must escape: quotes, `$`, backslashes, line breaks, tabs, HCL template
 * sigils, IAM policy variables, non-ASCII, keys that are HCL keywords, names that collide once
 * sanitized. Every value is one IAM accepts (path, description, policy documents), except the
 * tag keys, which IAM would refuse but a renderer must still escape. */
const NASTY_ARN = "arn:aws:iam::888888888888:role/a'b\"c$d%e\\f{g}/Nasty+Role=1,2.3@x-y";
export const nasty: Plan = {
  accountId: "888888888888",
  partition: "aws",
  roleName: "Nasty+Role=1,2.3@x-y",
  path: "/a'b\"c$d%e\\f{g}/",
  roleArn: NASTY_ARN,
  description: 'He said "hi" & it\'s $HOME \\ ${aws:username} %{if x} `date` $(id)\nsecond line\ttab; Zürich #not-a-comment',
  maxSessionDuration: 7200,
  tags: [
    { key: "for", value: "x" },
    { key: "cost-center", value: "a\"b'c$d\\e" },
    { key: "Zürich", value: "line1\nline2\r\n" },
    { key: "${x}", value: "%{y} $${z}" },
    { key: "JSON", value: "JSON" },
    { key: "Re\u0301sume\u0301 👍🏽", value: "ok" },
  ],
  permissionsBoundaryArn: null,
  trustPolicy: policy({
    Sid: "Me",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::999999999999:root" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "sts:ExternalId": "a=b,c.d@e:f/g-h+i_j" },
      StringLike: { "aws:PrincipalArn": ["arn:aws:iam::999999999999:role/${aws:username}", "arn:aws:iam::999999999999:user/*"] },
      NumericLessThan: { "aws:MultiFactorAuthAge": 3600 },
      Null: { "aws:SourceIdentity": false },
    },
  }),
  inlinePolicies: [
    {
      name: "a.b@c",
      document: policy({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::home/${aws:username}/*", Condition: {} }),
    },
    {
      name: "a_b_c",
      document: policy({
        Sid: "Quotes",
        Effect: "Deny",
        NotAction: ["s3:GetObject"],
        Resource: "arn:aws:s3:::x/%{y}/$HOME/`id`",
        Condition: { StringEquals: { "aws:RequestTag/note": "Quote\"Back\\slash'Apos" } },
      }),
    },
  ],
  managedPolicyArns: ["arn:aws:iam::888888888888:policy/team/ReadOnly", "arn:aws:iam::888888888888:policy/Read.Only", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
  instanceProfile: { name: "Nasty+Role=1,2.3@x-y", path: "/a'b\"c$d%e\\f{g}/" },
  oidcProvider: null,
  sourcePolicies: [
    {
      accountId: "999999999999",
      principal: "arn:aws:iam::999999999999:user/ops/first.last@example.com",
      policyName: "assume-Nasty+Role=1,2.3@x-y",
      document: assumeRole(NASTY_ARN),
      apply: true,
    },
  ],
  effectiveSessionSeconds: 3600,
  findings: [],
};

/** The plans with their fixture names and the options the fixtures were rendered with. */
export const EXPORT_CASES: Array<{ name: string; plan: Plan; options: ExportOptions }> = [
  {
    name: "delegate-read-my-bucket",
    plan: delegateReadMyBucket,
    options: { accountName: "Production", sourceProfile: "development", sessionName: "alice@example.com", region: "eu-west-1" },
  },
  { name: "ec2-app-server", plan: ec2AppServer, options: {} },
  { name: "github-deploy-web", plan: githubDeploy, options: { profileName: "acme web/deploy [ci]" } },
  {
    name: "govcloud-vendor-audit",
    plan: govCloudVendorAudit,
    options: { accountName: "GovCloud Audit", sourceProfile: "example-corp", region: "us-gov-east-1", mfaSerial: "arn:aws-us-gov:iam::777777777777:mfa/auditor" },
  },
  { name: "nasty", plan: nasty, options: { profileName: "default", sourceProfile: "my profile", sessionName: "x" } },
];
