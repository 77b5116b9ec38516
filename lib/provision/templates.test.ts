// Inline-policy templates: the documents they produce in each partition, that those documents
// are valid identity policies granting what they say (and no more), and their parameters' rules.
import { describe, expect, it } from "vitest";
import type { Partition } from "@/lib/domain/partitions";
import { evaluatePolicies, parsePolicy } from "@/lib/policy";
import type { AuthzRequest } from "@/lib/policy/types";
import { codeDeployApplicationField, describeTemplate, POLICY_TEMPLATES, policyTemplateInput, renderTemplate, s3BucketNameProblem, templateProblem } from "./templates";
import type { PolicyJson, PolicyTemplate } from "./types";

const ACCOUNT = "111111111111";

/** The messages of every issue, in order; [] when the value is accepted. */
function messages(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : (result.error?.issues ?? []).map((i) => i.message);
}

describe("read-s3-bucket", () => {
  it("is the tutorials' read_my_bucket: ListBucket on the bucket, GetObject on its objects", () => {
    expect(renderTemplate({ id: "read-s3-bucket", bucket: "productionapp" }, { partition: "aws", accountId: ACCOUNT })).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::productionapp" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::productionapp/*" },
      ],
    });
  });

  it.each<[Partition, string]>([
    ["aws-us-gov", "arn:aws-us-gov:s3:::gov-bucket"],
    ["aws-cn", "arn:aws-cn:s3:::gov-bucket"],
  ])("uses the %s partition in its ARNs", (partition, bucketArn) => {
    const doc = renderTemplate({ id: "read-s3-bucket", bucket: "gov-bucket" }, { partition, accountId: ACCOUNT });
    expect(doc.Statement.map((s) => s.Resource)).toEqual([bucketArn, `${bucketArn}/*`]);
  });
});

describe("codedeploy-deploy", () => {
  it("registers revisions of one application and deploys to its groups", () => {
    expect(renderTemplate({ id: "codedeploy-deploy", application: "WordPress_App" }, { partition: "aws", accountId: ACCOUNT })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RegisterRevisions",
          Effect: "Allow",
          Action: ["codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
          Resource: `arn:aws:codedeploy:*:${ACCOUNT}:application:WordPress_App`,
        },
        {
          Sid: "CreateDeployments",
          Effect: "Allow",
          Action: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
          Resource: `arn:aws:codedeploy:*:${ACCOUNT}:deploymentgroup:WordPress_App/*`,
        },
        { Sid: "ReadDeploymentConfigs", Effect: "Allow", Action: "codedeploy:GetDeploymentConfig", Resource: `arn:aws:codedeploy:*:${ACCOUNT}:deploymentconfig:*` },
      ],
    });
  });

  it("uses the partition in its ARNs", () => {
    const doc = renderTemplate({ id: "codedeploy-deploy", application: "app" }, { partition: "aws-cn", accountId: ACCOUNT });
    expect(doc.Statement.map((s) => s.Resource)).toEqual([
      `arn:aws-cn:codedeploy:*:${ACCOUNT}:application:app`,
      `arn:aws-cn:codedeploy:*:${ACCOUNT}:deploymentgroup:app/*`,
      `arn:aws-cn:codedeploy:*:${ACCOUNT}:deploymentconfig:*`,
    ]);
  });
});

describe("read-only", () => {
  const doc = renderTemplate({ id: "read-only" }, { partition: "aws", accountId: ACCOUNT });
  const actions = doc.Statement[0]?.Action as string[];

  it("is one statement of Describe/List/Get-config actions on every resource", () => {
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({ Sid: "DescribeAndListWithoutData", Effect: "Allow", Resource: "*" });
    expect(actions).toEqual([...actions].sort());
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:(Describe|List|Get)[A-Za-z*]*$/);
  });

  it.each([
    "s3:GetObject",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParametersByPath",
    "sqs:ReceiveMessage",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "lambda:ListFunctions",
    "kms:Decrypt",
    "ec2:TerminateInstances",
  ])("does not allow %s (a data read or a change)", (action) => {
    expect(decide(doc, action, "*")).toBe("ImplicitDeny");
  });

  it.each(["ec2:DescribeInstances", "s3:ListAllMyBuckets", "iam:ListRoles", "rds:DescribeDBInstances", "tag:GetResources"])("allows %s", (action) => {
    expect(decide(doc, action, "*")).toBe("Allow");
  });
});

function decide(document: PolicyJson, action: string, resource: string) {
  const parsed = parsePolicy(document, "identity");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const request: AuthzRequest = { principal: { type: "user", arn: `arn:aws:iam::${ACCOUNT}:user/a`, accountId: ACCOUNT }, action, resource, context: {} };
  return evaluatePolicies([{ name: "t", policy: parsed.policy }], request, "identity").decision;
}

describe("every template", () => {
  const samples: PolicyTemplate[] = [{ id: "read-s3-bucket", bucket: "my-bucket" }, { id: "codedeploy-deploy", application: "My App" }, { id: "read-only" }];

  it.each(samples)("renders a valid identity policy: %j", (template) => {
    const parsed = parsePolicy(renderTemplate(template, { partition: "aws", accountId: ACCOUNT }), "identity");
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("has a title and a description for every id, and a line per instance", () => {
    expect(POLICY_TEMPLATES.map((t) => t.id)).toEqual(["read-s3-bucket", "codedeploy-deploy", "read-only"]);
    for (const t of POLICY_TEMPLATES) expect(t.description.length).toBeGreaterThan(40);
    expect(samples.map(describeTemplate)).toEqual([
      "Read the objects in the S3 bucket my-bucket",
      "Deploy the CodeDeploy application My App",
      "Describe and list resources, without reading data",
    ]);
  });

  it("grants s3:GetObject on the named bucket only", () => {
    const doc = renderTemplate({ id: "read-s3-bucket", bucket: "my-bucket" }, { partition: "aws", accountId: ACCOUNT });
    expect(decide(doc, "s3:GetObject", "arn:aws:s3:::my-bucket/reports/q1.csv")).toBe("Allow");
    expect(decide(doc, "s3:ListBucket", "arn:aws:s3:::my-bucket")).toBe("Allow");
    expect(decide(doc, "s3:GetObject", "arn:aws:s3:::my-bucket-2/reports/q1.csv")).toBe("ImplicitDeny");
    expect(decide(doc, "s3:PutObject", "arn:aws:s3:::my-bucket/x")).toBe("ImplicitDeny");
  });

  it("refuses to render invalid parameters, which could widen the policy", () => {
    expect(() => renderTemplate({ id: "read-s3-bucket", bucket: "*" }, { partition: "aws", accountId: ACCOUNT })).toThrow(/bucket name/);
    expect(() => renderTemplate({ id: "codedeploy-deploy", application: "*" }, { partition: "aws", accountId: ACCOUNT })).toThrow(/application name/);
  });
});

describe("S3 bucket names", () => {
  it.each(["my-bucket", "abc", "a".repeat(63), "using.dots.as.a.separator", "one-1.two-2.three-3", "192.168.5.4x", "xn-not-quite"])("accepts %j", (name) => {
    expect(s3BucketNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["ab", "A bucket name has 3–63 characters"],
    ["a".repeat(64), "A bucket name has 3–63 characters"],
    ["My-Bucket", "A bucket name uses lower-case letters, digits, dots and hyphens only"],
    ["my_bucket", "A bucket name uses lower-case letters, digits, dots and hyphens only"],
    ["my bucket", "A bucket name uses lower-case letters, digits, dots and hyphens only"],
    ["bucket*", "A bucket name uses lower-case letters, digits, dots and hyphens only"],
    ["arn:aws:s3:::b", "A bucket name uses lower-case letters, digits, dots and hyphens only"],
    ["-bucket", "A bucket name starts and ends with a letter or digit"],
    ["bucket.", "A bucket name starts and ends with a letter or digit"],
    ["my..bucket", "A bucket name cannot contain two dots in a row"],
    ["192.168.5.4", "A bucket name cannot look like an IP address (192.168.5.4)"],
    ["xn--bucket", "A bucket name cannot start with xn--, sthree-, amzn-s3-demo- (reserved by S3)"],
    ["sthree-configurator", "A bucket name cannot start with xn--, sthree-, amzn-s3-demo- (reserved by S3)"],
    ["amzn-s3-demo-bucket", "A bucket name cannot start with xn--, sthree-, amzn-s3-demo- (reserved by S3)"],
    ["bucket-s3alias", "A bucket name cannot end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)"],
    ["bucket--ol-s3", "A bucket name cannot end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)"],
    ["bucket.mrap", "A bucket name cannot end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)"],
    ["bucket--usw2-az1--x-s3", "A bucket name cannot end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)"],
    ["bucket--table-s3", "A bucket name cannot end with -s3alias, --ol-s3, .mrap, --x-s3, --table-s3 (reserved by S3)"],
  ])("refuses %j: %s", (name, message) => {
    expect(s3BucketNameProblem(name)).toBe(message);
    expect(messages(policyTemplateInput, { id: "read-s3-bucket", bucket: name })).toEqual([message]);
  });

  it("asks for a name when none is given", () => {
    expect(messages(policyTemplateInput, { id: "read-s3-bucket", bucket: "" })).toEqual(["Enter the bucket's name"]);
    expect(messages(policyTemplateInput, { id: "read-s3-bucket" })).toEqual(["Enter the bucket's name"]);
  });
});

describe("template parameters", () => {
  it.each(["WordPress_App", "My App", "app.v2-(blue)"])("accepts the application name %j", (name) => {
    expect(codeDeployApplicationField.parse(name)).toBe(name);
  });

  it.each([
    ["", "Enter the CodeDeploy application's name"],
    ["a".repeat(101), "An application name has at most 100 characters"],
    ["app*", "An application name uses printable ASCII characters, without * ? $ / or :"],
    ["app/group", "An application name uses printable ASCII characters, without * ? $ / or :"],
    ["${aws:username}", "An application name uses printable ASCII characters, without * ? $ / or :"],
    ["app:1", "An application name uses printable ASCII characters, without * ? $ / or :"],
    ["appé", "An application name uses printable ASCII characters, without * ? $ / or :"],
  ])("refuses the application name %j", (name, message) => {
    expect(messages(codeDeployApplicationField, name)).toEqual([message]);
  });

  it.each<[unknown, string]>([
    [{ id: "write-everything" }, "Choose a policy template: read-s3-bucket, codedeploy-deploy or read-only"],
    [{}, "Choose a policy template: read-s3-bucket, codedeploy-deploy or read-only"],
    [{ id: "read-only", bucket: "b" }, 'Unrecognized key: "bucket"'],
  ])("refuses %j", (template, message) => {
    expect(messages(policyTemplateInput, template)).toEqual([message]);
  });

  it("templateProblem gives the first problem, or nothing", () => {
    expect(templateProblem({ id: "read-s3-bucket", bucket: "Bad_Bucket" })).toBe("A bucket name uses lower-case letters, digits, dots and hyphens only");
    expect(templateProblem({ id: "read-only" })).toBeUndefined();
  });
});
