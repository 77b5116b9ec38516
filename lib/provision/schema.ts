// The role wizard's input schema: what POST /api/v1/provisioning/plan and the wizard's pages accept,
// with the sentence a person sees when a field is wrong. Limits follow the IAM and STS API models
// and IAM's quotas:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
import { z } from "zod";
import { awsAccountIdField, externalIdField, roleNameField, rolePathField } from "@/lib/catalog/schemas";
import { policyTemplateInput } from "./templates";
import type { InlinePolicySpec, WizardDocument } from "./types";

// ---- Trusted services -------------------------------------------------------------------------

/** The AWS services the wizard offers as trusted entities, with the label the page shows.
 * `actions` lists what the trust statement must allow when AssumeRole alone is not enough;
 * such services get a statement of their own, named `sid`. */
export const SERVICE_PRINCIPALS = [
  { principal: "ec2.amazonaws.com", label: "EC2 (instances, through an instance profile)" },
  { principal: "lambda.amazonaws.com", label: "Lambda" },
  { principal: "edgelambda.amazonaws.com", label: "Lambda@Edge" },
  { principal: "ecs-tasks.amazonaws.com", label: "ECS tasks" },
  { principal: "ecs.amazonaws.com", label: "ECS (the service itself)" },
  { principal: "eks.amazonaws.com", label: "EKS (cluster role)" },
  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
  { principal: "pods.eks.amazonaws.com", label: "EKS Pod Identity", actions: ["sts:AssumeRole", "sts:TagSession"], sid: "TrustEksPodIdentity" },
  { principal: "batch.amazonaws.com", label: "Batch" },
  { principal: "codebuild.amazonaws.com", label: "CodeBuild" },
  { principal: "codedeploy.amazonaws.com", label: "CodeDeploy" },
  { principal: "codepipeline.amazonaws.com", label: "CodePipeline" },
  { principal: "cloudformation.amazonaws.com", label: "CloudFormation" },
  { principal: "glue.amazonaws.com", label: "Glue" },
  { principal: "states.amazonaws.com", label: "Step Functions" },
  { principal: "events.amazonaws.com", label: "EventBridge" },
  { principal: "scheduler.amazonaws.com", label: "EventBridge Scheduler" },
  { principal: "apigateway.amazonaws.com", label: "API Gateway" },
  { principal: "firehose.amazonaws.com", label: "Data Firehose" },
  { principal: "sagemaker.amazonaws.com", label: "SageMaker" },
  { principal: "ssm.amazonaws.com", label: "Systems Manager" },
  { principal: "backup.amazonaws.com", label: "AWS Backup" },
  // Access Analyzer error "Missing action for roles anywhere trust policy" without all three.
  // https://docs.aws.amazon.com/rolesanywhere/latest/userguide/getting-started.html
  {
    principal: "rolesanywhere.amazonaws.com",
    label: "IAM Roles Anywhere (workloads outside AWS)",
    actions: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
    sid: "TrustIamRolesAnywhere",
  },
] as const satisfies ReadonlyArray<{ principal: string; label: string; actions?: readonly string[]; sid?: string }>;

export type ServicePrincipal = (typeof SERVICE_PRINCIPALS)[number]["principal"];

const SERVICE_NAMES = SERVICE_PRINCIPALS.map((s) => s.principal) as [ServicePrincipal, ...ServicePrincipal[]];

// ---- Fields ----------------------------------------------------------------------------------

const PARTITION = "(?:aws|aws-us-gov|aws-cn|aws-eusc)";
// A principal ARN's path as IAM accepts it: segments of printable ASCII between slashes, without
// the wildcards * and ? (IAM refuses wildcards inside a principal ARN). Each segment starts with
// its own slash and excludes "/", so the regex cannot backtrack exponentially.
const PRINCIPAL_PATH = "(?:/[\\x21-\\x29\\x2b-\\x2e\\x30-\\x3e\\x40-\\x7e]+)*/";
const IAM_NAME = "[\\w+=,.@-]";

export const principalArnField = z
  .string({ error: "Paste a role or user ARN" })
  .trim()
  .max(2048, "A principal ARN has at most 2048 characters")
  .regex(
    new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(?:role|user)${PRINCIPAL_PATH}${IAM_NAME}{1,64}$`),
    "A principal ARN looks like arn:aws:iam::123456789012:role/Name or arn:aws:iam::123456789012:user/Name",
  );

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Description)
export const roleDescriptionField = z
  .string({ error: "A description is text" })
  .max(1000, "A description has at most 1000 characters")
  .regex(/^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/, "A description uses Latin letters, digits, spaces and punctuation only (no emoji)");

export const maxSessionDurationField = z
  .number({ error: "Maximum session duration is a number of seconds" })
  .int("Maximum session duration is a whole number of seconds")
  .min(3600, "Maximum session duration is at least 3600 seconds (1 hour)")
  .max(43200, "Maximum session duration is at most 43200 seconds (12 hours)");

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
export const tagField = z
  .object({
    key: z
      .string({ error: "Enter a tag key" })
      .trim()
      .min(1, { error: "Enter a tag key", abort: true })
      .max(128, "A tag key has at most 128 characters")
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, "A tag key uses letters, digits, spaces and _ . : / = + - @ only")
      .refine((k) => !k.toLowerCase().startsWith("aws:"), "Tag keys starting with aws: are reserved for AWS"),
    value: z
      .string({ error: "A tag value is text (it may be empty)" })
      .trim()
      .max(256, "A tag value has at most 256 characters")
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "A tag value uses letters, digits, spaces and _ . : / = + - @ only"),
  })
  .strict();

const MANAGED_POLICY_ARN = new RegExp(`^arn:${PARTITION}:iam::(?:aws|\\d{12}):policy${PRINCIPAL_PATH}${IAM_NAME}{1,128}$`);
const MANAGED_POLICY_SHAPE = "A policy ARN looks like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/Name";

export const managedPolicyArnField = z
  .string({ error: "Paste a managed policy ARN" })
  .trim()
  .max(2048, "A policy ARN has at most 2048 characters")
  .regex(MANAGED_POLICY_ARN, MANAGED_POLICY_SHAPE);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html (20–2048)
export const permissionsBoundaryArnField = z
  .string({ error: "Paste the permissions boundary's policy ARN" })
  .trim()
  .min(20, { error: MANAGED_POLICY_SHAPE, abort: true })
  .max(2048, "A policy ARN has at most 2048 characters")
  .regex(MANAGED_POLICY_ARN, MANAGED_POLICY_SHAPE);

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName, PolicyDocument)
export const inlinePolicyNameField = z
  .string({ error: "Name the inline policy" })
  .trim()
  .min(1, { error: "Name the inline policy", abort: true })
  .max(128, "A policy name has at most 128 characters")
  .regex(/^[\w+=,.@-]+$/, "A policy name uses letters, digits and + = , . @ _ - only");

export const inlinePolicyDocumentField = z
  .string({ error: "Paste the policy as JSON" })
  .min(1, { error: "Paste the policy as JSON", abort: true })
  .max(131072, "A policy document has at most 131072 characters");

// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Id)
export const organizationIdField = z
  .string({ error: "Enter the organization ID, like o-a1b2c3d4e5" })
  .trim()
  .regex(/^o-[a-z0-9]{10,32}$/, "An organization ID looks like o-a1b2c3d4e5 (o- then 10–32 lower-case letters or digits)");

// The input is any string (TrustedEntity's `service` is a string, and the pages submit that type);
// the pipe narrows it to the list, and the metadata keeps the list in the OpenAPI document.
export const serviceField = z
  .string({ error: "Choose a service from the list" })
  .pipe(z.enum(SERVICE_NAMES, { error: "Choose a service from the list" }))
  .meta({ enum: SERVICE_NAMES, description: "An AWS service principal from the wizard's list" });

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html: the
// provider's URL without https:// is the ARN's resource and the prefix of its condition keys
// (`<host/path>:aud`), so it is held to what a condition key prefix may contain.
export const oidcProviderArnField = z
  .string({ error: "Paste the OIDC provider's ARN" })
  .trim()
  .max(300, "An OIDC provider ARN has at most 300 characters")
  .regex(
    new RegExp(`^arn:${PARTITION}:iam::\\d{12}:oidc-provider/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._~-]+)*$`),
    "An OIDC provider ARN looks like arn:aws:iam::123456789012:oidc-provider/oidc.example.com",
  );

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html (Name: [\w._-]+, 1–128)
export const samlProviderArnField = z
  .string({ error: "Paste the SAML provider's ARN" })
  .trim()
  .max(300, "A SAML provider ARN has at most 300 characters")
  .regex(
    new RegExp(`^arn:${PARTITION}:iam::\\d{12}:saml-provider/[\\w.-]{1,128}$`),
    "A SAML provider ARN looks like arn:aws:iam::123456789012:saml-provider/MyIdP",
  );

// Values compared with StringEquals in a trust policy: printable ASCII (IAM documents take
// U+0020–U+00FF), and no "$", which would start a policy variable like ${aws:username}.
const CLAIM_VALUE = /^[\x20-\x23\x25-\x7e]+$/;

/** The `aud` an OIDC provider's tokens carry (one of its client IDs: 1–255 characters). */
export const oidcAudienceField = z
  .string({ error: "Enter the audience (the provider's client ID)" })
  .trim()
  .min(1, { error: "Enter the audience (the provider's client ID)", abort: true })
  .max(255, "An audience has at most 255 characters")
  .regex(CLAIM_VALUE, "An audience uses printable ASCII characters, without $")
  .refine((v) => !/[*?]/.test(v), "An audience is matched exactly, so it cannot contain * or ?");

/** The `sub` to require; * and ? make it a StringLike pattern (which the lint rules flag). */
export const oidcSubjectField = z
  .string({ error: "Enter the subject the tokens must carry" })
  .trim()
  .min(1, { error: "Enter the subject the tokens must carry, or leave it out", abort: true })
  .max(1024, "A subject has at most 1024 characters")
  .regex(CLAIM_VALUE, "A subject uses printable ASCII characters, without $");

// ---- GitHub ------------------------------------------------------------------------------------

// GitHub user and organization names: letters, digits and single inner hyphens, at most 39.
export const githubOwnerField = z
  .string({ error: "Enter the GitHub organization or user" })
  .trim()
  .min(1, { error: "Enter the GitHub organization or user", abort: true })
  .max(39, "A GitHub organization or user name has at most 39 characters")
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/, "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end");

export const githubRepoField = z
  .string({ error: "Enter the repository name" })
  .trim()
  .min(1, { error: "Enter the repository name", abort: true })
  .max(100, "A repository name has at most 100 characters")
  .regex(/^[A-Za-z0-9._-]+$/, "A repository name uses letters, digits and . _ - only (no owner/ prefix, no wildcards)")
  .refine((r) => r !== "." && r !== "..", "A repository name cannot be . or ..");

/** git check-ref-format's rules for one branch or tag name, plus no "$" (policy variables). */
export function gitRefProblem(name: string): string | undefined {
  if (name.startsWith("refs/")) return "Enter the short name, without refs/heads/ or refs/tags/ (for example main)";
  if (!/^[\x21-\x7e]+$/.test(name) || /[~^:?*[\\$]/.test(name)) {
    return "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $";
  }
  if (name.includes("..") || name.includes("@{") || name.includes("//") || name === "@") {
    return "A branch or tag name cannot contain .., @{ or //";
  }
  if (/^[/.-]|[/.]$/.test(name) || name.endsWith(".lock") || /\/\./.test(name) || /\.lock\//.test(name)) {
    return "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with .";
  }
  return undefined;
}

const gitRefField = (what: "branch" | "tag") =>
  z
    .string({ error: `Enter the ${what} name` })
    .trim()
    .min(1, { error: `Enter the ${what} name`, abort: true })
    .max(255, `A ${what} name has at most 255 characters`)
    .superRefine((name, ctx) => {
      const problem = gitRefProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

// GitHub: an environment name has at most 255 characters and is matched as written in the token.
export const githubEnvironmentField = z
  .string({ error: "Enter the environment name" })
  .trim()
  .min(1, { error: "Enter the environment name", abort: true })
  .max(255, "An environment name has at most 255 characters")
  .regex(/^[\x20-\x23\x25-\x29\x2b-\x3e\x40-\x7e]+$/, "An environment name uses printable ASCII characters, without * ? or $");

const githubRefField = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("branch"), name: gitRefField("branch") }).strict(),
    z.object({ type: z.literal("tag"), name: gitRefField("tag") }).strict(),
    z.object({ type: z.literal("environment"), name: githubEnvironmentField }).strict(),
    z.object({ type: z.literal("pull_request") }).strict(),
  ],
  { error: "Choose which runs may assume the role: a branch, a tag, an environment or pull requests" },
);

// ---- Trust -----------------------------------------------------------------------------------

export const trustedEntityInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("broker") }).strict(),
    z.object({ kind: z.literal("account"), accountId: awsAccountIdField }).strict(),
    z.object({ kind: z.literal("principal"), arn: principalArnField }).strict(),
    z.object({ kind: z.literal("service"), service: serviceField }).strict(),
    z.object({ kind: z.literal("github"), owner: githubOwnerField, repo: githubRepoField, ref: githubRefField }).strict(),
    z.object({ kind: z.literal("oidc"), providerArn: oidcProviderArnField, audience: oidcAudienceField, subject: oidcSubjectField.optional() }).strict(),
    z.object({ kind: z.literal("saml"), providerArn: samlProviderArnField }).strict(),
  ],
  { error: "Choose who may assume the role: broker, account, principal, service, github, oidc or saml" },
);

export const trustConditionsInput = z
  .object({
    externalId: externalIdField.optional(),
    requireMfa: z.boolean({ error: "requireMfa must be true or false" }).optional(),
    organizationId: organizationIdField.optional(),
  })
  .strict();

/** A generous bound: the trust policy's size quota (2,048 characters by default) is the real
 * limit, and the lint rules measure it. */
export const MAX_TRUSTED_ENTITIES = 20;
export const MAX_INLINE_POLICIES = 10;
/** The highest quota AWS lists for managed policies per role (10 by default); the lint rules
 * compare with the account's actual quota. */
export const MAX_MANAGED_POLICIES = 25;

// ---- The document ----------------------------------------------------------------------------

// One object with both keys optional rather than a union of two shapes, so that a problem in
// `name` or `document` is reported on that field instead of as "matches neither shape".
const inlinePolicyInput = z
  .object({ name: inlinePolicyNameField, template: policyTemplateInput.optional(), document: inlinePolicyDocumentField.optional() })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.template === undefined) === (p.document === undefined)) {
      ctx.addIssue({ code: "custom", message: "An inline policy has either a template or a JSON document" });
    }
  })
  .transform((p): InlinePolicySpec => (p.template !== undefined ? { name: p.name, template: p.template } : { name: p.name, document: p.document ?? "" }));

const accountOf = (arn: string) => arn.split(":")[4];

export const wizardDocumentInput = z
  .object({
    target: z
      .object({
        accountId: awsAccountIdField,
        roleName: roleNameField,
        path: rolePathField.default("/"),
        description: roleDescriptionField.default(""),
        maxSessionDuration: maxSessionDurationField.default(3600),
        tags: z.array(tagField).max(50, "A role has at most 50 tags").default([]),
        permissionsBoundaryArn: permissionsBoundaryArnField.optional(),
      })
      .strict(),
    trust: z
      .object({
        entities: z
          .array(trustedEntityInput, { error: "List who may assume the role" })
          .min(1, { error: "Choose at least one trusted entity: who may assume the role", abort: true })
          .max(MAX_TRUSTED_ENTITIES, `A role here trusts at most ${MAX_TRUSTED_ENTITIES} entities`),
        conditions: trustConditionsInput.default({}),
      })
      .strict(),
    permissions: z
      .object({
        managedPolicyArns: z
          .array(managedPolicyArnField)
          .max(MAX_MANAGED_POLICIES, `A role can have at most ${MAX_MANAGED_POLICIES} managed policies`)
          .default([]),
        inline: z.array(inlinePolicyInput).max(MAX_INLINE_POLICIES, `A role here has at most ${MAX_INLINE_POLICIES} inline policies`).default([]),
      })
      .strict()
      .default({ managedPolicyArns: [], inline: [] }),
    applySourcePolicies: z.array(awsAccountIdField).max(100, "Choose at most 100 accounts").default([]),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });

    // Tag keys of roles are case-insensitive: "you cannot have separate Department and department
    // tag keys" (STS AssumeRole / IAM tagging docs).
    const tagKeys = new Map<string, string>();
    doc.target.tags.forEach((tag, i) => {
      const seen = tagKeys.get(tag.key.toLowerCase());
      if (seen !== undefined) issue(["target", "tags", i, "key"], `The tag key ${tag.key} is already used (${seen}; case does not count)`);
      else tagKeys.set(tag.key.toLowerCase(), tag.key);
    });

    // IAM only accepts a federated principal of the role's own account.
    doc.trust.entities.forEach((entity, i) => {
      if ((entity.kind === "oidc" || entity.kind === "saml") && accountOf(entity.providerArn) !== doc.target.accountId) {
        const what = entity.kind === "oidc" ? "OIDC" : "SAML";
        issue(["trust", "entities", i, "providerArn"], `The ${what} provider must be in the role's account (${doc.target.accountId})`);
      }
    });

    const managed = new Set<string>();
    doc.permissions.managedPolicyArns.forEach((arn, i) => {
      if (managed.has(arn)) issue(["permissions", "managedPolicyArns", i], `${arn} is already in the list`);
      managed.add(arn);
    });

    const names = new Set<string>();
    doc.permissions.inline.forEach((policy, i) => {
      const key = policy.name.toLowerCase();
      if (names.has(key)) issue(["permissions", "inline", i, "name"], `Two inline policies cannot share the name ${policy.name}`);
      names.add(key);
    });

    // Source-side policies belong in the accounts whose principals the role trusts.
    const trusted = new Set<string>();
    for (const entity of doc.trust.entities) {
      if (entity.kind === "account") trusted.add(entity.accountId);
      if (entity.kind === "principal") trusted.add(accountOf(entity.arn) ?? "");
    }
    const chosen = new Set<string>();
    doc.applySourcePolicies.forEach((accountId, i) => {
      if (!trusted.has(accountId)) {
        issue(["applySourcePolicies", i], `Account ${accountId} is not trusted by the role, so it needs no permission to assume it`);
      } else if (chosen.has(accountId)) {
        issue(["applySourcePolicies", i], `Account ${accountId} is already in the list`);
      }
      chosen.add(accountId);
    });
  });

/** What the schema accepts (optional fields may be left out). */
export type WizardDocumentRaw = z.input<typeof wizardDocumentInput>;
/** What it produces: a WizardDocument with every default filled in. */
export type WizardDocumentInput = z.output<typeof wizardDocumentInput>;

// Compile-time checks: what the pages build (a WizardDocument) is what the schema takes, and what
// it produces is usable wherever a WizardDocument is expected.
const _wizardDocumentIsAccepted: (doc: WizardDocument) => WizardDocumentRaw = (doc) => doc;
const _parsedIsWizardDocument: (doc: WizardDocumentInput) => WizardDocument = (doc) => doc;

// ---- ExternalId generator --------------------------------------------------------------------

const EXTERNAL_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random ExternalId: 32 letters and digits (a subset of STS's [\w+=,.@:/-]{2,1224}), about
 * 190 bits from the platform's CSPRNG. Rejection sampling keeps every character equally likely.
 * An ExternalId is not a secret; it stops the confused deputy when a third party assumes roles
 * for many customers, so it must be unique per customer.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 */
export function generateExternalId(length = 32): string {
  const alphabet = EXTERNAL_ID_ALPHABET;
  // 248 = 4 × 62: bytes at or above it would favour the first characters of the alphabet.
  const limit = 256 - (256 % alphabet.length);
  let id = "";
  const bytes = new Uint8Array(length * 2);
  while (id.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && id.length < length) id += alphabet[byte % alphabet.length];
    }
  }
  return id;
}
