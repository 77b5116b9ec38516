// The plan: what will be created for a document, in each partition, and the structural findings
// a raw JSON policy can produce instead of an exception.
import { describe, expect, it } from "vitest";
import type { Partition } from "@/lib/domain/partitions";
import { parsePolicy } from "@/lib/policy";
import { exportCli, exportCloudFormation, exportTerraform } from "./exports";
import { buildPlan, quotaUsage, roleArn } from "./plan";
import { wizardDocumentInput, type WizardDocumentRaw } from "./schema";
import type { PlanContext, TrustedEntity, WizardDocument } from "./types";

const TARGET = "111111111111";
const OTHER = "222222222222";
const BROKER_ACCOUNT = "999999999999";

function context(overrides: Partial<PlanContext> = {}, partition: Partition = "aws"): PlanContext {
  return {
    partition,
    broker: { arn: `arn:${partition}:sts::${BROKER_ACCOUNT}:assumed-role/SwitchboardBroker/switchboard`, accountId: BROKER_ACCOUNT, temporary: true },
    accounts: [
      { accountId: TARGET, name: "Production", canProvision: true },
      { accountId: OTHER, name: "Development", canProvision: true },
    ],
    quotas: { trustPolicySize: 2048, inlinePoliciesSize: 10240, managedPoliciesPerRole: 10 },
    githubProviderExists: false,
    ...overrides,
  };
}

/** Documents go through the schema first, as they do behind the API. */
function wizard(raw: Omit<WizardDocumentRaw, "target" | "trust"> & { target?: Partial<WizardDocumentRaw["target"]>; entities?: TrustedEntity[] }): WizardDocument {
  const { target, entities, ...rest } = raw;
  return wizardDocumentInput.parse({
    target: { accountId: TARGET, roleName: "Deployer", ...target },
    trust: { entities: entities ?? [{ kind: "account", accountId: OTHER }] },
    ...rest,
  });
}

describe("buildPlan", () => {
  it("plans the tutorial's delegate_read_my_bucket role for another account", () => {
    const doc = wizard({
      target: { roleName: "delegate_read_my_bucket", description: "Read the reports bucket", tags: [{ key: "team", value: "data" }] },
      entities: [{ kind: "account", accountId: OTHER }],
      permissions: { inline: [{ name: "read_my_bucket", template: { id: "read-s3-bucket", bucket: "productionapp" } }] },
      applySourcePolicies: [OTHER],
    });
    expect(buildPlan(doc, context({ broker: { arn: `arn:aws:iam::${BROKER_ACCOUNT}:user/switchboard`, accountId: BROKER_ACCOUNT, temporary: false } }))).toEqual({
      accountId: TARGET,
      partition: "aws",
      roleName: "delegate_read_my_bucket",
      path: "/",
      roleArn: `arn:aws:iam::${TARGET}:role/delegate_read_my_bucket`,
      description: "Read the reports bucket",
      maxSessionDuration: 3600,
      tags: [{ key: "team", value: "data" }],
      permissionsBoundaryArn: null,
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [{ Sid: "TrustAccounts", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }],
      },
      inlinePolicies: [
        {
          name: "read_my_bucket",
          document: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::productionapp" },
              { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::productionapp/*" },
            ],
          },
        },
      ],
      managedPolicyArns: [],
      instanceProfile: null,
      oidcProvider: null,
      sourcePolicies: [
        {
          accountId: OTHER,
          principal: "any principal in 222222222222",
          policyName: "AllowAssume-delegate_read_my_bucket",
          document: {
            Version: "2012-10-17",
            Statement: [{ Sid: "AllowAssumeRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${TARGET}:role/delegate_read_my_bucket` }],
          },
          apply: true,
        },
      ],
      effectiveSessionSeconds: 3600,
      findings: [],
    });
  });

  it("keeps the path in the role ARN, and the boundary and managed policies as given", () => {
    const plan = buildPlan(
      wizard({
        target: { path: "/teams/data/", permissionsBoundaryArn: `arn:aws:iam::${TARGET}:policy/Boundary` },
        permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
      }),
      context(),
    );
    expect(plan.roleArn).toBe(`arn:aws:iam::${TARGET}:role/teams/data/Deployer`);
    expect(plan.sourcePolicies[0]?.document.Statement[0]?.Resource).toBe(plan.roleArn);
    expect(plan.permissionsBoundaryArn).toBe(`arn:aws:iam::${TARGET}:policy/Boundary`);
    expect(plan.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
  });

  // Issue 10: the administrator's permissions boundary goes on every role the wizard creates.
  describe("the administrator's permissions boundary", () => {
    const REQUIRED = `arn:aws:iam::${TARGET}:policy/SwitchboardBoundary`;
    const guarded = () => context({ guardrails: { permissionsBoundaryArn: REQUIRED, allowPrivilegedExternalTrust: false } });

    it("is put on a role whose document has none, and so into every export", () => {
      const plan = buildPlan(wizard({}), guarded());
      expect(plan.permissionsBoundaryArn).toBe(REQUIRED);
      expect(plan.findings).toEqual([]);
      expect(exportTerraform(plan)).toContain(`permissions_boundary = "${REQUIRED}"`);
      expect(exportCloudFormation(plan)).toContain(REQUIRED);
      expect(exportCli(plan)).toMatch(new RegExp(`--permissions-boundary '?${REQUIRED}`));
    });

    it("is accepted when the document names it", () => {
      const plan = buildPlan(wizard({ target: { permissionsBoundaryArn: REQUIRED } }), guarded());
      expect(plan.permissionsBoundaryArn).toBe(REQUIRED);
      expect(plan.findings).toEqual([]);
    });

    it("refuses a document that asks for another boundary, naming the required one", () => {
      const plan = buildPlan(wizard({ target: { permissionsBoundaryArn: "arn:aws:iam::aws:policy/PowerUserAccess" } }), guarded());
      expect(plan.permissionsBoundaryArn).toBe(REQUIRED);
      expect(plan.findings).toEqual([expect.objectContaining({ rule: "permissions-boundary-required", severity: "error", where: "role", message: expect.stringContaining(REQUIRED) })]);
    });
  });

  describe("instance profile", () => {
    it("comes with EC2 trust: same name, same path", () => {
      const plan = buildPlan(wizard({ target: { path: "/apps/" }, entities: [{ kind: "service", service: "ec2.amazonaws.com" }] }), context());
      expect(plan.instanceProfile).toEqual({ name: "Deployer", path: "/apps/" });
    });

    it.each<[string, TrustedEntity[]]>([
      ["Lambda", [{ kind: "service", service: "lambda.amazonaws.com" }]],
      ["ECS tasks", [{ kind: "service", service: "ecs-tasks.amazonaws.com" }]],
      ["an account", [{ kind: "account", accountId: OTHER }]],
    ])("does not come with %s", (_, entities) => {
      expect(buildPlan(wizard({ entities }), context()).instanceProfile).toBeNull();
    });

    it("comes with EC2 in the China partition too, whose principal is ec2.amazonaws.com.cn", () => {
      const plan = buildPlan(wizard({ entities: [{ kind: "service", service: "ec2.amazonaws.com" }] }), context({}, "aws-cn"));
      expect(plan.instanceProfile).toEqual({ name: "Deployer", path: "/" });
      expect(plan.trustPolicy.Statement[0]?.Principal).toEqual({ Service: "ec2.amazonaws.com.cn" });
    });
  });

  describe("GitHub's OIDC provider", () => {
    const github: TrustedEntity[] = [{ kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "branch", name: "main" } }];

    it("is created first when the account has none", () => {
      expect(buildPlan(wizard({ entities: github }), context({ githubProviderExists: false })).oidcProvider).toEqual({
        url: "https://token.actions.githubusercontent.com",
        clientIds: ["sts.amazonaws.com"],
        arn: `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`,
      });
    });

    it("is reused when it exists", () => {
      const plan = buildPlan(wizard({ entities: github }), context({ githubProviderExists: true }));
      expect(plan.oidcProvider).toBeNull();
      expect(plan.trustPolicy.Statement[0]?.Principal).toEqual({ Federated: `arn:aws:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com` });
    });

    it("is not planned without GitHub trust", () => {
      expect(buildPlan(wizard({}), context({ githubProviderExists: false })).oidcProvider).toBeNull();
    });

    it.each<[Partition, string]>([
      ["aws-us-gov", "sts.amazonaws.com"],
      ["aws-cn", "sts.amazonaws.com.cn"],
    ])("uses the %s partition and its audience", (partition, audience) => {
      const plan = buildPlan(wizard({ entities: github }), context({}, partition));
      expect(plan.oidcProvider).toEqual({
        url: "https://token.actions.githubusercontent.com",
        clientIds: [audience],
        arn: `arn:${partition}:iam::${TARGET}:oidc-provider/token.actions.githubusercontent.com`,
      });
      const condition = plan.trustPolicy.Statement[0]?.Condition as { StringEquals: Record<string, string> };
      expect(condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe(audience);
    });
  });

  describe("effective session length", () => {
    it.each<[boolean, number, number]>([
      [true, 3600, 3600],
      [true, 43200, 3600],
      [true, 7200, 3600],
      [false, 43200, 43200],
      [false, 3600, 3600],
    ])("a broker with temporary credentials = %s and MaxSessionDuration %i give %i seconds", (temporary, max, effective) => {
      const ctx = context({ broker: { arn: `arn:aws:iam::${BROKER_ACCOUNT}:user/switchboard`, accountId: BROKER_ACCOUNT, temporary } });
      const plan = buildPlan(wizard({ target: { maxSessionDuration: max } }), ctx);
      expect(plan.maxSessionDuration).toBe(max);
      expect(plan.effectiveSessionSeconds).toBe(effective);
    });
  });

  describe("source policies", () => {
    it("are applied only where asked and provisionable", () => {
      const entities: TrustedEntity[] = [
        { kind: "account", accountId: OTHER },
        { kind: "account", accountId: "333333333333" },
        { kind: "principal", arn: "arn:aws:iam::444444444444:role/Ops" },
      ];
      const ctx = context({
        accounts: [
          { accountId: TARGET, name: "Production", canProvision: true },
          { accountId: OTHER, name: "Development", canProvision: true },
          { accountId: "333333333333", name: "Audit", canProvision: false },
        ],
      });
      const plan = buildPlan(wizard({ entities, applySourcePolicies: [OTHER, "333333333333"] }), ctx);
      expect(plan.sourcePolicies.map((p) => [p.accountId, p.principal, p.apply])).toEqual([
        [OTHER, "any principal in 222222222222", true],
        ["333333333333", "any principal in 333333333333", false],
        ["444444444444", "arn:aws:iam::444444444444:role/Ops", false],
      ]);
    });
  });

  describe("partitions", () => {
    it.each<Partition>(["aws-us-gov", "aws-cn"])("writes every ARN in %s", (partition) => {
      const doc = wizard({
        entities: [{ kind: "broker" }, { kind: "account", accountId: OTHER }],
        permissions: {
          inline: [
            { name: "read", template: { id: "read-s3-bucket", bucket: "reports" } },
            { name: "deploy", template: { id: "codedeploy-deploy", application: "web" } },
          ],
        },
      });
      const plan = buildPlan(doc, context({}, partition));
      expect(plan.roleArn).toBe(`arn:${partition}:iam::${TARGET}:role/Deployer`);
      expect(plan.trustPolicy.Statement.map((s) => s.Principal)).toEqual([
        { AWS: `arn:${partition}:iam::${BROKER_ACCOUNT}:role/SwitchboardBroker` },
        { AWS: `arn:${partition}:iam::${OTHER}:root` },
      ]);
      expect(plan.inlinePolicies.flatMap((p) => p.document.Statement.map((s) => s.Resource))).toEqual([
        `arn:${partition}:s3:::reports`,
        `arn:${partition}:s3:::reports/*`,
        `arn:${partition}:codedeploy:*:${TARGET}:application:web`,
        `arn:${partition}:codedeploy:*:${TARGET}:deploymentgroup:web/*`,
        `arn:${partition}:codedeploy:*:${TARGET}:deploymentconfig:*`,
      ]);
      expect(plan.sourcePolicies[0]?.document.Statement[0]?.Resource).toBe(`arn:${partition}:iam::${TARGET}:role/Deployer`);
    });

    it("roleArn joins partition, account, path and name", () => {
      expect(roleArn("aws", TARGET, "/", "R")).toBe(`arn:aws:iam::${TARGET}:role/R`);
      expect(roleArn("aws-eusc", TARGET, "/a/b/", "R")).toBe(`arn:aws-eusc:iam::${TARGET}:role/a/b/R`);
    });
  });

  it("writes a trust policy that IAM's grammar accepts", () => {
    const entities: TrustedEntity[] = [
      { kind: "broker" },
      { kind: "account", accountId: OTHER },
      { kind: "service", service: "ec2.amazonaws.com" },
      { kind: "github", owner: "o", repo: "r", ref: { type: "pull_request" } },
    ];
    const plan = buildPlan(wizard({ entities }), context());
    const parsed = parsePolicy(plan.trustPolicy, "trust");
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });
});

describe("raw JSON inline policies", () => {
  const plan = (document: string) => buildPlan(wizard({ permissions: { inline: [{ name: "custom", document }] } }), context());

  it("are parsed with lib/policy and written in its normal form", () => {
    const document = `{
      "Version": "2012-10-17",
      "Id": "ignored",
      "Statement": {
        "Effect": "Allow",
        "Action": ["sqs:SendMessage"],
        "Resource": "arn:aws:sqs:eu-west-1:111111111111:jobs",
        "Condition": { "Bool": { "aws:SecureTransport": true }, "NumericLessThan": { "sqs:delaySeconds": 1.50 } }
      }
    }`;
    const result = plan(document);
    expect(result.findings).toEqual([]);
    expect(result.inlinePolicies).toEqual([
      {
        name: "custom",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "sqs:SendMessage",
              Resource: "arn:aws:sqs:eu-west-1:111111111111:jobs",
              // Booleans and numbers become the strings IAM compares, exactly as written.
              Condition: { Bool: { "aws:SecureTransport": "true" }, NumericLessThan: { "sqs:delaySeconds": "1.50" } },
            },
          ],
        },
      },
    ]);
  });

  it("become an inline-json error finding instead of a throw when they are not JSON", () => {
    const result = plan('{"Version": "2012-10-17", "Statement": [');
    expect(result.inlinePolicies).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: "inline-json", severity: "error", where: "inline:custom", fix: "Correct the policy's JSON, or choose a template instead." });
    expect(result.findings[0]?.message).toMatch(/^The inline policy custom is not a valid policy: /);
  });

  it.each([
    ["a trust policy (Principal, no Resource)", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}', ["Policy document should not specify a principal.", "Policy statement must contain resources."]],
    ["a bad effect", '{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}', ['Syntax errors in policy. Invalid effect "allow"; Effect must be exactly "Allow" or "Deny".']],
    ["an action without a service", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}', ["Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."]],
  ])("report each problem of %s with its place", (_, document, problems) => {
    const result = plan(document);
    expect(result.inlinePolicies).toEqual([]);
    expect(result.findings.map((f) => f.rule)).toEqual(problems.map(() => "inline-json"));
    problems.forEach((problem, i) => expect(result.findings[i]?.message).toContain(problem));
    expect(result.findings[0]?.message).toMatch(/\(at \$\.Statement\[0\]/);
  });

  it("report at most ten problems and how many more there are", () => {
    const statements = Array.from({ length: 15 }, () => '{"Effect":"Maybe","Action":"s3:GetObject","Resource":"*"}').join(",");
    const result = plan(`{"Version":"2012-10-17","Statement":[${statements}]}`);
    expect(result.findings).toHaveLength(11);
    expect(result.findings[10]?.message).toBe("The inline policy custom has 5 more problems.");
  });

  it.each([
    ["no Version", '{"Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}', "The inline policy custom has no Version."],
    ["the 2008 version", '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}', "The inline policy custom uses the old version 2008-10-17."],
  ])("ask for Version 2012-10-17 when a policy has %s", (_, document, message) => {
    expect(plan(document).findings).toEqual([{ rule: "inline-json", severity: "error", message, fix: 'Add "Version": "2012-10-17" at the top of the policy.', where: "inline:custom" }]);
  });

  it("keep the other inline policies of the plan", () => {
    const doc = wizard({
      permissions: {
        inline: [
          { name: "broken", document: "not json" },
          { name: "read", template: { id: "read-only" } },
        ],
      },
    });
    const result = buildPlan(doc, context());
    expect(result.inlinePolicies.map((p) => p.name)).toEqual(["read"]);
    expect(result.findings.every((f) => f.where === "inline:broken")).toBe(true);
  });
});

describe("documents that skipped the schema", () => {
  it("turn invalid template parameters into an inline-template finding, not a wider policy", () => {
    const doc = wizard({});
    doc.permissions.inline.push({ name: "read", template: { id: "read-s3-bucket", bucket: "my-bucket*" } });
    const result = buildPlan(doc, context());
    expect(result.inlinePolicies).toEqual([]);
    expect(result.findings).toEqual([
      {
        rule: "inline-template",
        severity: "error",
        message: "The inline policy read: A bucket name uses lower-case letters, digits, dots and hyphens only.",
        fix: "Correct the template's parameters.",
        where: "inline:read",
      },
    ]);
  });
});

describe("quotaUsage (the review step's size meters)", () => {
  const doc = wizard({
    entities: [{ kind: "account", accountId: OTHER }],
    permissions: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [{ name: "read_my_bucket", template: { id: "read-s3-bucket", bucket: "productionapp" } }] },
  });
  const plan = buildPlan(doc, context());

  it("counts the trust policy and the inline policies the way IAM does, and managed policies by number", () => {
    const compact = (v: unknown) => JSON.stringify(v).replace(/[ \t\n\r]/g, "").length;
    expect(quotaUsage(plan, context().quotas)).toEqual({
      trustPolicy: { used: compact(plan.trustPolicy), quota: 2048, level: "ok" },
      inlinePolicies: { used: compact(plan.inlinePolicies[0]?.document), quota: 10240, level: "ok" },
      managedPolicies: { used: 1, quota: 10, level: "ok" },
    });
  });

  it("adds every inline policy together: RolePolicySizeQuota is for all of them", () => {
    const two = { ...plan, inlinePolicies: [...plan.inlinePolicies, { name: "again", document: plan.inlinePolicies[0]!.document }] };
    expect(quotaUsage(two, context().quotas).inlinePolicies.used).toBe(2 * quotaUsage(plan, context().quotas).inlinePolicies.used);
  });

  it.each([
    [159, "ok"],
    [160, "near"],
    [200, "near"],
    [201, "over"],
  ] as const)("a %i-character trust policy against a 200-character quota is %s", (size, level) => {
    // A trust policy of exactly `size` characters: a Sid padded to length.
    const bare = { Version: "2012-10-17", Statement: [{ Sid: "", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }] };
    const pad = size - JSON.stringify(bare).length;
    const trustPolicy = { ...bare, Statement: [{ ...bare.Statement[0]!, Sid: "S".repeat(pad) }] } as typeof plan.trustPolicy;
    const meter = quotaUsage({ ...plan, trustPolicy }, { ...context().quotas, trustPolicySize: 200 }).trustPolicy;
    expect(meter).toEqual({ used: size, quota: 200, level });
  });

  it("is over with more managed policies than the account allows", () => {
    const arns = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::${TARGET}:policy/p${i}`);
    expect(quotaUsage({ ...plan, managedPolicyArns: arns }, context().quotas).managedPolicies).toEqual({ used: 11, quota: 10, level: "over" });
  });
});
