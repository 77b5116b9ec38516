// Inline-policy templates the wizard offers instead of raw JSON: what each grants, in plain words,
// its parameters' rules, and the document it becomes in the role's partition and account.
import { z } from "zod";
import type { Partition } from "@/lib/domain/partitions";
import type { PolicyJson, PolicyTemplate } from "./types";

export type TemplateTarget = { partition: Partition; accountId: string };

export type TemplateInfo = { id: PolicyTemplate["id"]; title: string; description: string };

// The read-only template's actions: Describe/List on common services, and only the Get calls
// that return configuration. Deliberately absent: s3:GetObject, dynamodb:GetItem/Query/Scan,
// secretsmanager:GetSecretValue, ssm:GetParameter*, sqs:ReceiveMessage, logs:GetLogEvents and
// lambda:ListFunctions (it returns functions' environment variables).
const READ_ONLY_ACTIONS = [
  "autoscaling:Describe*",
  "cloudformation:Describe*",
  "cloudformation:List*",
  "cloudwatch:Describe*",
  "cloudwatch:List*",
  "dynamodb:Describe*",
  "dynamodb:List*",
  "ec2:Describe*",
  "ecr:Describe*",
  "ecs:Describe*",
  "ecs:List*",
  "eks:Describe*",
  "eks:List*",
  "elasticloadbalancing:Describe*",
  "iam:GetAccountSummary",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:List*",
  "kms:DescribeKey",
  "kms:ListAliases",
  "kms:ListKeys",
  "logs:Describe*",
  "rds:Describe*",
  "route53:List*",
  "s3:GetBucketLocation",
  "s3:ListAllMyBuckets",
  "secretsmanager:DescribeSecret",
  "secretsmanager:ListSecrets",
  "sns:ListSubscriptions",
  "sns:ListTopics",
  "sqs:ListQueues",
  "tag:GetResources",
];

export const POLICY_TEMPLATES: readonly TemplateInfo[] = [
  {
    id: "read-s3-bucket",
    title: "Read one S3 bucket",
    description: "Lists the bucket's objects and reads them (s3:ListBucket on the bucket, s3:GetObject on its objects). It cannot write or delete anything.",
  },
  {
    id: "codedeploy-deploy",
    title: "Deploy one CodeDeploy application",
    description:
      "Registers revisions of the application and starts deployments to any of its deployment groups, in every region of the account. " +
      "Uploading a revision to S3 needs its own permission on the revision bucket.",
  },
  {
    id: "read-only",
    title: "Read-only inventory",
    description:
      "Describes and lists resources in EC2, ECS, EKS, ECR, RDS, DynamoDB, load balancers, Auto Scaling, CloudFormation, CloudWatch, CloudWatch Logs, " +
      "IAM, KMS, Route 53, SNS, SQS, Secrets Manager (names only) and S3 (bucket names only), and finds resources by tag. " +
      "It reads no data: no objects, table items, secret values, parameters, messages or log events. " +
      "Configuration can itself hold secrets (EC2 user data, environment variables in ECS task definitions). " +
      "For the AWS-maintained equivalent, attach the ViewOnlyAccess managed policy instead.",
  },
];

// ---- Parameters ------------------------------------------------------------------------------

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Why `name` is not a general purpose bucket name, or undefined when it is.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * (Buckets created in us-east-1 before March 2018 may have older names; those are refused too.)
 */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "A bucket name has 3–63 characters";
  if (!/^[a-z0-9.-]+$/.test(name)) return "A bucket name uses lower-case letters, digits, dots and hyphens only";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "A bucket name starts and ends with a letter or digit";
  if (name.includes("..")) return "A bucket name cannot contain two dots in a row";
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(name)) return "A bucket name cannot look like an IP address (192.168.5.4)";
  if (RESERVED_BUCKET_PREFIXES.some((p) => name.startsWith(p))) {
    return `A bucket name cannot start with ${RESERVED_BUCKET_PREFIXES.join(", ")} (reserved by S3)`;
  }
  if (RESERVED_BUCKET_SUFFIXES.some((s) => name.endsWith(s))) {
    return `A bucket name cannot end with ${RESERVED_BUCKET_SUFFIXES.join(", ")} (reserved by S3)`;
  }
  return undefined;
}

export const s3BucketNameField = z
  .string({ error: "Enter the bucket's name" })
  .trim()
  .min(1, { error: "Enter the bucket's name", abort: true })
  .superRefine((name, ctx) => {
    const problem = s3BucketNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// CodeDeploy application names have 1–100 characters. The name lands in resource ARNs, so the
// characters that would change their meaning are refused: * and ? (wildcards), $ (policy
// variables), / (ends the application part of a deployment group ARN) and : (ARN separator).
export const codeDeployApplicationField = z
  .string({ error: "Enter the CodeDeploy application's name" })
  .trim()
  .min(1, { error: "Enter the CodeDeploy application's name", abort: true })
  .max(100, "An application name has at most 100 characters")
  .regex(/^[\x20-\x23\x25-\x29\x2b-\x2e\x30-\x39\x3b-\x3e\x40-\x7e]+$/, "An application name uses printable ASCII characters, without * ? $ / or :");

export const policyTemplateInput = z.discriminatedUnion(
  "id",
  [
    z.object({ id: z.literal("read-s3-bucket"), bucket: s3BucketNameField }).strict(),
    z.object({ id: z.literal("codedeploy-deploy"), application: codeDeployApplicationField }).strict(),
    z.object({ id: z.literal("read-only") }).strict(),
  ],
  { error: "Choose a policy template: read-s3-bucket, codedeploy-deploy or read-only" },
);

/** Why the template's parameters are not valid, or undefined when they are. */
export function templateProblem(template: PolicyTemplate): string | undefined {
  const result = policyTemplateInput.safeParse(template);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** One line for the review page: what this instance of the template allows. */
export function describeTemplate(template: PolicyTemplate): string {
  switch (template.id) {
    case "read-s3-bucket":
      return `Read the objects in the S3 bucket ${template.bucket}`;
    case "codedeploy-deploy":
      return `Deploy the CodeDeploy application ${template.application}`;
    case "read-only":
      return "Describe and list resources, without reading data";
  }
}

// ---- Documents -------------------------------------------------------------------------------

/** The policy document of a template. Its parameters must be valid (see templateProblem): an
 * invalid one, such as a bucket name with a wildcard, would widen what the policy grants. */
export function renderTemplate(template: PolicyTemplate, target: TemplateTarget): PolicyJson {
  const problem = templateProblem(template);
  if (problem) throw new Error(`Invalid ${template.id} template: ${problem}`);
  const p = target.partition;
  switch (template.id) {
    case "read-s3-bucket":
      // The cross-account tutorials' read_my_bucket, statement for statement: s3:ListBucket
      // applies to the bucket's ARN, s3:GetObject to its objects' ARNs (bucket/*).
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html
      return {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:${p}:s3:::${template.bucket}` },
          { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${p}:s3:::${template.bucket}/*` },
        ],
      };
    case "codedeploy-deploy": {
      // The actions a deployment from CI needs and the resource each one takes:
      // https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html
      // The region is a wildcard (IAM matches wildcards in any ARN segment, reference_policies_elements_resource),
      // because the template has no region parameter.
      const arn = (resource: string) => `arn:${p}:codedeploy:*:${target.accountId}:${resource}`;
      return {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "RegisterRevisions",
            Effect: "Allow",
            Action: ["codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
            Resource: arn(`application:${template.application}`),
          },
          {
            Sid: "CreateDeployments",
            Effect: "Allow",
            Action: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
            Resource: arn(`deploymentgroup:${template.application}/*`),
          },
          { Sid: "ReadDeploymentConfigs", Effect: "Allow", Action: "codedeploy:GetDeploymentConfig", Resource: arn("deploymentconfig:*") },
        ],
      };
    }
    case "read-only":
      return {
        Version: "2012-10-17",
        Statement: [{ Sid: "DescribeAndListWithoutData", Effect: "Allow", Action: READ_ONLY_ACTIONS, Resource: "*" }],
      };
  }
}
