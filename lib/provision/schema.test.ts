// The wizard's input schema: what each field accepts, the exact sentence a person sees when it
// does not (and on which field, as describeZodError reports it), and the ExternalId generator.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { describeZodError } from "@/lib/http/validation";
import { isValidPrincipalValue } from "@/lib/policy";
import { externalIdField } from "@/lib/catalog/schemas";
import {
  generateExternalId,
  githubEnvironmentField,
  githubOwnerField,
  githubRepoField,
  gitRefProblem,
  managedPolicyArnField,
  maxSessionDurationField,
  oidcAudienceField,
  oidcProviderArnField,
  oidcSubjectField,
  organizationIdField,
  permissionsBoundaryArnField,
  principalArnField,
  roleDescriptionField,
  samlProviderArnField,
  SERVICE_PRINCIPALS,
  serviceField,
  tagField,
  trustedEntityInput,
  wizardDocumentInput,
  type WizardDocumentRaw,
} from "./schema";
import type { WizardDocument } from "./types";

const TARGET = "111111111111";
const OTHER = "222222222222";

/** The messages of every issue, in order; [] when the value is accepted. */
function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

/** The field → first message map the API and the forms show for a refused document. */
function fields(value: unknown): Record<string, string> {
  const result = wizardDocumentInput.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return describeZodError(result.error).fields;
}

function minimal(overrides: { target?: Partial<WizardDocumentRaw["target"]>; trust?: Partial<WizardDocumentRaw["trust"]> } & Omit<Partial<WizardDocumentRaw>, "target" | "trust"> = {}): WizardDocumentRaw {
  const { target, trust, ...rest } = overrides;
  return {
    target: { accountId: TARGET, roleName: "Deployer", ...target },
    trust: { entities: [{ kind: "account", accountId: OTHER }], ...trust },
    ...rest,
  };
}

describe("wizardDocumentInput", () => {
  it("fills in the console's defaults", () => {
    const doc: WizardDocument = wizardDocumentInput.parse(minimal());
    expect(doc).toEqual({
      target: { accountId: TARGET, roleName: "Deployer", path: "/", description: "", maxSessionDuration: 3600, tags: [] },
      trust: { entities: [{ kind: "account", accountId: OTHER }], conditions: {} },
      permissions: { managedPolicyArns: [], inline: [] },
      applySourcePolicies: [],
    });
  });

  it("accepts a document with every kind of entity, condition and permission", () => {
    const full: WizardDocumentRaw = {
      target: {
        accountId: TARGET,
        roleName: "delegate_read_my_bucket",
        path: "/teams/data/",
        description: "Read the reports bucket.\nOwned by the data team (Zürich).",
        maxSessionDuration: 43200,
        tags: [
          { key: "team", value: "data" },
          { key: "Kostenstelle", value: "4711" },
          { key: "empty", value: "" },
        ],
        permissionsBoundaryArn: `arn:aws:iam::${TARGET}:policy/boundaries/DeveloperBoundary`,
      },
      trust: {
        entities: [
          { kind: "broker" },
          { kind: "account", accountId: OTHER },
          { kind: "principal", arn: `arn:aws:iam::${OTHER}:role/ci/Deployer` },
          { kind: "principal", arn: `arn:aws:iam::${OTHER}:user/alice` },
          { kind: "service", service: "ec2.amazonaws.com" },
          { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "branch", name: "release/2.x" } },
          { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "environment", name: "Production EU" } },
          { kind: "github", owner: "octo-org", repo: "octo-repo", ref: { type: "pull_request" } },
          { kind: "oidc", providerArn: `arn:aws:iam::${TARGET}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123`, audience: "sts.amazonaws.com", subject: "system:serviceaccount:ns:sa" },
          { kind: "saml", providerArn: `arn:aws:iam::${TARGET}:saml-provider/Corp_IdP.v2` },
        ],
        conditions: { externalId: "Zq8v2LkT0pXw9sYb3nRc6mHd1fGa4eJu", requireMfa: true, organizationId: "o-a1b2c3d4e5" },
      },
      permissions: {
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
        inline: [
          { name: "read_my_bucket", template: { id: "read-s3-bucket", bucket: "reports-bucket" } },
          { name: "custom", document: '{"Version":"2012-10-17","Statement":[]}' },
        ],
      },
      applySourcePolicies: [OTHER],
    };
    expect(messages(wizardDocumentInput, full)).toEqual([]);
  });

  it("trims what was typed or pasted", () => {
    const doc = wizardDocumentInput.parse(
      minimal({ target: { roleName: "  Deployer\n" }, trust: { entities: [{ kind: "principal", arn: ` arn:aws:iam::${OTHER}:role/Ops ` }] } }),
    );
    expect(doc.target.roleName).toBe("Deployer");
    expect(doc.trust.entities).toEqual([{ kind: "principal", arn: `arn:aws:iam::${OTHER}:role/Ops` }]);
  });

  it.each<[string, unknown, Record<string, string>]>([
    ["no entities", minimal({ trust: { entities: [] } }), { "trust.entities": "Choose at least one trusted entity: who may assume the role" }],
    ["an unknown kind of entity", minimal({ trust: { entities: [{ kind: "everyone" } as never] } }), { "trust.entities.0.kind": "Choose who may assume the role: broker, account, principal, service, github, oidc or saml" }],
    [
      "21 entities",
      minimal({ trust: { entities: Array.from({ length: 21 }, (_, i) => ({ kind: "account" as const, accountId: String(100000000000 + i) })) } }),
      { "trust.entities": "A role here trusts at most 20 entities" },
    ],
    ["a bad account id in an entity", minimal({ trust: { entities: [{ kind: "account", accountId: "12345" }] } }), { "trust.entities.0.accountId": "Account ID must be 12 digits" }],
    ["no target account", { ...minimal(), target: { roleName: "Deployer" } }, { "target.accountId": "Account ID must be 12 digits" }],
    ["no role name", { ...minimal(), target: { accountId: TARGET } }, { "target.roleName": "Enter the role's name" }],
    ["a role name with a slash", minimal({ target: { roleName: "teams/Deployer" } }), { "target.roleName": "A role name uses letters, digits and + = , . @ _ - only" }],
    ["a path without its trailing slash", minimal({ target: { path: "/teams" } }), { "target.path": "A path starts and ends with / (for example /teams/platform/)" }],
    [
      "an ExternalId with a space",
      minimal({ trust: { conditions: { externalId: "my external id" } } }),
      { "trust.conditions.externalId": "An ExternalId has 2–1224 letters, digits and + = , . @ : / _ - (no spaces)" },
    ],
    ["MFA as a string", minimal({ trust: { conditions: { requireMfa: "yes" as never } } }), { "trust.conditions.requireMfa": "requireMfa must be true or false" }],
    [
      "an unknown condition",
      minimal({ trust: { conditions: { sourceIdentity: true } as never } }),
      { "trust.conditions": 'Unrecognized key: "sourceIdentity"' },
    ],
    ["an unknown field", { ...minimal(), owner: "x" }, { _: 'Unrecognized key: "owner"' }],
  ])("refuses %s", (_, value, expected) => {
    expect(fields(value)).toEqual(expected);
  });

  describe("checks across fields", () => {
    it("refuses tag keys that differ only in case (IAM role tags are case-insensitive)", () => {
      expect(fields(minimal({ target: { tags: [{ key: "Team", value: "a" }, { key: "team", value: "b" }] } }))).toEqual({
        "target.tags.1.key": "The tag key team is already used (Team; case does not count)",
      });
    });

    it.each([
      ["oidc", { kind: "oidc", providerArn: `arn:aws:iam::${OTHER}:oidc-provider/oidc.example.com`, audience: "app" }, "The OIDC provider must be in the role's account (111111111111)"],
      ["saml", { kind: "saml", providerArn: `arn:aws:iam::${OTHER}:saml-provider/CorpIdP` }, "The SAML provider must be in the role's account (111111111111)"],
    ])("refuses a %s provider of another account", (_, entity, message) => {
      expect(fields(minimal({ trust: { entities: [entity as never] } }))).toEqual({ "trust.entities.0.providerArn": message });
    });

    it("refuses the same managed policy twice", () => {
      const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
      expect(fields(minimal({ permissions: { managedPolicyArns: [arn, arn] } }))).toEqual({ "permissions.managedPolicyArns.1": `${arn} is already in the list` });
    });

    it("refuses two inline policies with the same name, whatever the case", () => {
      const inline = [
        { name: "Read", template: { id: "read-only" as const } },
        { name: "read", document: "{}" },
      ];
      expect(fields(minimal({ permissions: { inline } }))).toEqual({ "permissions.inline.1.name": "Two inline policies cannot share the name read" });
    });

    it("accepts source policies for accounts the role trusts, by root or by principal", () => {
      const entities = [
        { kind: "account" as const, accountId: OTHER },
        { kind: "principal" as const, arn: "arn:aws:iam::333333333333:role/Ops" },
      ];
      expect(messages(wizardDocumentInput, minimal({ trust: { entities }, applySourcePolicies: [OTHER, "333333333333"] }))).toEqual([]);
    });

    it("refuses source policies for accounts the role does not trust, and duplicates", () => {
      expect(fields(minimal({ applySourcePolicies: ["333333333333", OTHER, OTHER] }))).toEqual({
        "applySourcePolicies.0": "Account 333333333333 is not trusted by the role, so it needs no permission to assume it",
        "applySourcePolicies.2": `Account ${OTHER} is already in the list`,
      });
    });
  });

  describe("permissions", () => {
    it("takes at most 10 inline policies and 25 managed policies", () => {
      const inline = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, template: { id: "read-only" as const } }));
      expect(fields(minimal({ permissions: { inline } }))).toEqual({ "permissions.inline": "A role here has at most 10 inline policies" });
      const managedPolicyArns = Array.from({ length: 26 }, (_, i) => `arn:aws:iam::${TARGET}:policy/p${i}`);
      expect(fields(minimal({ permissions: { managedPolicyArns } }))).toEqual({ "permissions.managedPolicyArns": "A role can have at most 25 managed policies" });
    });

    it.each<[string, unknown, Record<string, string>]>([
      ["a space in the name", { name: "bad name", template: { id: "read-only" } }, { "permissions.inline.0.name": "A policy name uses letters, digits and + = , . @ _ - only" }],
      ["no name", { name: "", template: { id: "read-only" } }, { "permissions.inline.0.name": "Name the inline policy" }],
      ["a 129-character name", { name: "x".repeat(129), template: { id: "read-only" } }, { "permissions.inline.0.name": "A policy name has at most 128 characters" }],
      ["an empty document", { name: "p", document: "" }, { "permissions.inline.0.document": "Paste the policy as JSON" }],
      ["a document over 131072 characters", { name: "p", document: " ".repeat(131073) }, { "permissions.inline.0.document": "A policy document has at most 131072 characters" }],
      ["a bad bucket name", { name: "p", template: { id: "read-s3-bucket", bucket: "Bad_Bucket" } }, { "permissions.inline.0.template.bucket": "A bucket name uses lower-case letters, digits, dots and hyphens only" }],
      ["neither template nor document", { name: "p" }, { "permissions.inline.0": "An inline policy has either a template or a JSON document" }],
      ["both a template and a document", { name: "p", template: { id: "read-only" }, document: "{}" }, { "permissions.inline.0": "An inline policy has either a template or a JSON document" }],
    ])("refuses an inline policy with %s", (_, policy, expected) => {
      expect(fields(minimal({ permissions: { inline: [policy as never] } }))).toEqual(expected);
    });
  });
});

// ---- Single fields ---------------------------------------------------------------------------

describe("roleDescriptionField", () => {
  it.each(["", "Read-only access for the auditors.", "Line one\nLine two\tand a tab", "Zürich, São Paulo, ½ price ©"])("accepts %j", (d) => {
    expect(roleDescriptionField.parse(d)).toBe(d);
  });

  it("accepts 1000 characters", () => {
    expect(messages(roleDescriptionField, "d".repeat(1000))).toEqual([]);
  });

  it.each([
    ["1001 characters", "d".repeat(1001), "A description has at most 1000 characters"],
    ["an emoji", "Deploys 🚀", "A description uses Latin letters, digits, spaces and punctuation only (no emoji)"],
    ["a euro sign (beyond U+00FF)", "Costs €", "A description uses Latin letters, digits, spaces and punctuation only (no emoji)"],
    ["a control character", "bell\u0007", "A description uses Latin letters, digits, spaces and punctuation only (no emoji)"],
  ])("refuses %s", (_, d, message) => {
    expect(messages(roleDescriptionField, d)).toEqual([message]);
  });
});

describe("maxSessionDurationField", () => {
  it.each([3600, 7200, 43200])("accepts %i", (s) => {
    expect(maxSessionDurationField.parse(s)).toBe(s);
  });

  it.each<[unknown, string]>([
    [3599, "Maximum session duration is at least 3600 seconds (1 hour)"],
    [900, "Maximum session duration is at least 3600 seconds (1 hour)"],
    [43201, "Maximum session duration is at most 43200 seconds (12 hours)"],
    [3600.5, "Maximum session duration is a whole number of seconds"],
    ["3600", "Maximum session duration is a number of seconds"],
  ])("refuses %j", (s, message) => {
    expect(messages(maxSessionDurationField, s)).toEqual([message]);
  });
});

describe("tagField", () => {
  it.each([
    { key: "team", value: "platform" },
    { key: "Cost Center", value: "" },
    { key: "k".repeat(128), value: "v".repeat(256) },
    { key: "owner:email", value: "alice@example.com" },
    { key: "Abteilung", value: "Qualitätssicherung" },
    { key: "path/like=+-_.", value: "a b" },
  ])("accepts %j", (tag) => {
    expect(tagField.parse(tag)).toEqual(tag);
  });

  it.each<[{ key: unknown; value: unknown }, string[]]>([
    [{ key: "", value: "x" }, ["Enter a tag key"]],
    [{ key: "k".repeat(129), value: "x" }, ["A tag key has at most 128 characters"]],
    [{ key: "team", value: "v".repeat(257) }, ["A tag value has at most 256 characters"]],
    [{ key: "team#1", value: "x" }, ["A tag key uses letters, digits, spaces and _ . : / = + - @ only"]],
    [{ key: "team", value: "a;b" }, ["A tag value uses letters, digits, spaces and _ . : / = + - @ only"]],
    [{ key: "aws:createdBy", value: "x" }, ["Tag keys starting with aws: are reserved for AWS"]],
    [{ key: "AWS:createdBy", value: "x" }, ["Tag keys starting with aws: are reserved for AWS"]],
    [{ key: "team", value: null }, ["A tag value is text (it may be empty)"]],
  ])("refuses %j", (tag, expected) => {
    expect(messages(tagField, tag)).toEqual(expected);
  });

  it("allows at most 50 tags", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(messages(wizardDocumentInput, minimal({ target: { tags: tags(50) } }))).toEqual([]);
    expect(fields(minimal({ target: { tags: tags(51) } }))).toEqual({ "target.tags": "A role has at most 50 tags" });
  });
});

describe("principalArnField", () => {
  const accepted = [
    "arn:aws:iam::123456789012:role/Admin",
    "arn:aws:iam::123456789012:role/teams/platform/Admin",
    "arn:aws:iam::123456789012:user/alice",
    "arn:aws:iam::123456789012:user/people/alice@example.com",
    "arn:aws-us-gov:iam::123456789012:role/Admin",
    "arn:aws-cn:iam::123456789012:user/Admin",
    "arn:aws-eusc:iam::123456789012:role/Admin",
    `arn:aws:iam::123456789012:role/${"R".repeat(64)}`,
  ];
  it.each(accepted)("accepts %s, which IAM takes as a principal", (arn) => {
    expect(principalArnField.parse(arn)).toBe(arn);
    expect(isValidPrincipalValue("AWS", arn)).toBe(true);
  });

  const SHAPE = "A principal ARN looks like arn:aws:iam::123456789012:role/Name or arn:aws:iam::123456789012:user/Name";
  it.each([
    ["an account root (use the account entity)", "arn:aws:iam::123456789012:root"],
    ["an assumed-role session", "arn:aws:sts::123456789012:assumed-role/Admin/alice"],
    ["a group (groups cannot be principals)", "arn:aws:iam::123456789012:group/Admins"],
    ["a wildcard name", "arn:aws:iam::123456789012:role/*"],
    ["a wildcard in the path", "arn:aws:iam::123456789012:role/team*/Admin"],
    ["everyone", "*"],
    ["an unknown partition", "arn:aws-iso:iam::123456789012:role/Admin"],
    ["11 digits", "arn:aws:iam::12345678901:role/Admin"],
    ["a region", "arn:aws:iam:us-east-1:123456789012:role/Admin"],
    ["a name over 64 characters", `arn:aws:iam::123456789012:role/${"R".repeat(65)}`],
    ["just an account id", "123456789012"],
    ["empty", ""],
  ])("refuses %s", (_, arn) => {
    expect(messages(principalArnField, arn)).toEqual([SHAPE]);
  });
});

describe("policy ARNs", () => {
  it.each([
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::123456789012:policy/team/Deploy",
    "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
    "arn:aws-cn:iam::123456789012:policy/Boundary",
  ])("accepts %s", (arn) => {
    expect(managedPolicyArnField.parse(arn)).toBe(arn);
    expect(permissionsBoundaryArnField.parse(arn)).toBe(arn);
  });

  const SHAPE = "A policy ARN looks like arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/Name";
  it.each([
    ["a role ARN", "arn:aws:iam::123456789012:role/Admin"],
    ["a policy name only", "ReadOnlyAccess"],
    ["a wildcard", "arn:aws:iam::aws:policy/*"],
    ["an S3 ARN", "arn:aws:s3:::bucket"],
    ["a name over 128 characters", `arn:aws:iam::aws:policy/${"p".repeat(129)}`],
  ])("refuses %s", (_, arn) => {
    expect(messages(managedPolicyArnField, arn)).toEqual([SHAPE]);
    expect(messages(permissionsBoundaryArnField, arn)).toEqual([SHAPE]);
  });

  it("shows the boundary's error on its field", () => {
    expect(fields(minimal({ target: { permissionsBoundaryArn: "Boundary" } }))).toEqual({ "target.permissionsBoundaryArn": SHAPE });
  });
});

describe("organizationIdField", () => {
  it.each(["o-a1b2c3d4e5", `o-${"a".repeat(32)}`])("accepts %s", (id) => {
    expect(organizationIdField.parse(id)).toBe(id);
  });

  it.each(["o-a1b2c3d4e", `o-${"a".repeat(33)}`, "o-A1B2C3D4E5", "a1b2c3d4e5", "r-ab12", "ou-ab12-cd34ef56"])("refuses %s", (id) => {
    expect(messages(organizationIdField, id)).toEqual(["An organization ID looks like o-a1b2c3d4e5 (o- then 10–32 lower-case letters or digits)"]);
  });
});

describe("SERVICE_PRINCIPALS and serviceField", () => {
  it.each(SERVICE_PRINCIPALS.map((s) => s.principal))("accepts %s, which IAM takes as a service principal", (service) => {
    expect(serviceField.parse(service)).toBe(service);
    expect(isValidPrincipalValue("Service", service)).toBe(true);
  });

  it("offers the services the wizard promises, each with its own label", () => {
    const names = SERVICE_PRINCIPALS.map((s) => s.principal.replace(".amazonaws.com", ""));
    for (const s of ["ec2", "lambda", "ecs-tasks", "ecs", "codebuild", "codedeploy", "glue", "states", "events", "sagemaker", "rolesanywhere"]) {
      expect(names).toContain(s);
    }
    const labels = SERVICE_PRINCIPALS.map((s) => s.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(["s3.amazonaws.com", "ec2", "EC2.amazonaws.com", "ec2.amazonaws.com.cn", "*"])("refuses %s", (service) => {
    expect(messages(serviceField, service)).toEqual(["Choose a service from the list"]);
  });
});

describe("GitHub fields", () => {
  it.each(["octo-org", "a", "A1-b2-C3", "x".repeat(39)])("accepts the owner %j", (owner) => {
    expect(githubOwnerField.parse(owner)).toBe(owner);
  });

  it.each([
    ["", "Enter the GitHub organization or user"],
    ["x".repeat(40), "A GitHub organization or user name has at most 39 characters"],
    ["-octo", "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end"],
    ["octo-", "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end"],
    ["octo--org", "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end"],
    ["octo/org", "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end"],
    ["*", "A GitHub organization or user name uses letters, digits and single hyphens, not at the start or end"],
  ])("refuses the owner %j", (owner, message) => {
    expect(messages(githubOwnerField, owner)).toEqual([message]);
  });

  it.each(["octo-repo", "my.repo", "repo_2", ".github", "r".repeat(100)])("accepts the repository %j", (repo) => {
    expect(githubRepoField.parse(repo)).toBe(repo);
  });

  it.each([
    ["", ["Enter the repository name"]],
    ["octo-org/octo-repo", ["A repository name uses letters, digits and . _ - only (no owner/ prefix, no wildcards)"]],
    ["*", ["A repository name uses letters, digits and . _ - only (no owner/ prefix, no wildcards)"]],
    ["my repo", ["A repository name uses letters, digits and . _ - only (no owner/ prefix, no wildcards)"]],
    ["..", ["A repository name cannot be . or .."]],
    ["r".repeat(101), ["A repository name has at most 100 characters"]],
  ])("refuses the repository %j", (repo, expected) => {
    expect(messages(githubRepoField, repo)).toEqual(expected);
  });

  it.each(["main", "release/2.x", "feature/JIRA-123_fix", "v1.2.0", "dependabot/npm_and_yarn/next-16.4.6", "a@b"])("accepts the ref %j", (name) => {
    expect(gitRefProblem(name)).toBeUndefined();
  });

  it.each([
    ["refs/heads/main", "Enter the short name, without refs/heads/ or refs/tags/ (for example main)"],
    ["my branch", "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $"],
    ["feature/*", "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $"],
    ["a:b", "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $"],
    ["${aws:username}", "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $"],
    ["brånch", "A branch or tag name cannot contain spaces or ~ ^ : ? * [ \\ $"],
    ["a..b", "A branch or tag name cannot contain .., @{ or //"],
    ["a@{1}", "A branch or tag name cannot contain .., @{ or //"],
    ["a//b", "A branch or tag name cannot contain .., @{ or //"],
    ["@", "A branch or tag name cannot contain .., @{ or //"],
    ["/main", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
    ["main/", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
    ["main.", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
    ["-main", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
    ["main.lock", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
    ["a/.hidden", "A branch or tag name cannot start with / . or -, end with / . or .lock, or have a part starting with ."],
  ])("refuses the ref %j", (name, message) => {
    expect(gitRefProblem(name)).toBe(message);
    expect(messages(trustedEntityInput, { kind: "github", owner: "o", repo: "r", ref: { type: "branch", name } })).toEqual([message]);
  });

  it.each(["production", "Production EU", "staging-2", "prod/eu"])("accepts the environment %j", (name) => {
    expect(githubEnvironmentField.parse(name)).toBe(name);
  });

  it.each([
    ["", "Enter the environment name"],
    ["prod*", "An environment name uses printable ASCII characters, without * ? or $"],
    ["${aws:username}", "An environment name uses printable ASCII characters, without * ? or $"],
    ["prōd", "An environment name uses printable ASCII characters, without * ? or $"],
    ["e".repeat(256), "An environment name has at most 255 characters"],
  ])("refuses the environment %j", (name, message) => {
    expect(messages(githubEnvironmentField, name)).toEqual([message]);
  });

  it.each<[unknown, string]>([
    [{ type: "branch" }, "Enter the branch name"],
    [{ type: "tag", name: "" }, "Enter the tag name"],
    [{ type: "commit", name: "abc" }, "Choose which runs may assume the role: a branch, a tag, an environment or pull requests"],
    [{ type: "pull_request", name: "1" }, 'Unrecognized key: "name"'],
  ])("refuses the ref %j", (ref, message) => {
    expect(messages(trustedEntityInput, { kind: "github", owner: "o", repo: "r", ref })).toEqual([message]);
  });
});

describe("OIDC and SAML fields", () => {
  it.each([
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    "arn:aws-cn:iam::123456789012:oidc-provider/login.example.cn/tenant/a_b~c",
  ])("accepts the OIDC provider %s, which IAM takes as a federated principal", (arn) => {
    expect(oidcProviderArnField.parse(arn)).toBe(arn);
    expect(isValidPrincipalValue("Federated", arn)).toBe(true);
  });

  it.each([
    "https://token.actions.githubusercontent.com",
    "arn:aws:iam::123456789012:oidc-provider/",
    "arn:aws:iam::123456789012:oidc-provider/-bad.example.com",
    "arn:aws:iam::123456789012:oidc-provider/example.com:8443",
    "arn:aws:iam::123456789012:saml-provider/CorpIdP",
    "accounts.google.com",
  ])("refuses the OIDC provider %s", (arn) => {
    expect(messages(oidcProviderArnField, arn)).toEqual(["An OIDC provider ARN looks like arn:aws:iam::123456789012:oidc-provider/oidc.example.com"]);
  });

  it.each(["arn:aws:iam::123456789012:saml-provider/CorpIdP", "arn:aws-us-gov:iam::123456789012:saml-provider/Okta.Gov_1"])("accepts the SAML provider %s", (arn) => {
    expect(samlProviderArnField.parse(arn)).toBe(arn);
    expect(isValidPrincipalValue("Federated", arn)).toBe(true);
  });

  it.each(["arn:aws:iam::123456789012:saml-provider/", "arn:aws:iam::123456789012:saml-provider/Corp IdP", `arn:aws:iam::123456789012:saml-provider/${"x".repeat(129)}`, "CorpIdP"])(
    "refuses the SAML provider %j",
    (arn) => {
      expect(messages(samlProviderArnField, arn)).toEqual(["A SAML provider ARN looks like arn:aws:iam::123456789012:saml-provider/MyIdP"]);
    },
  );

  it.each([
    ["", ["Enter the audience (the provider's client ID)"]],
    ["a".repeat(256), ["An audience has at most 255 characters"]],
    ["app-*", ["An audience is matched exactly, so it cannot contain * or ?"]],
    ["${aws:username}", ["An audience uses printable ASCII characters, without $"]],
  ])("refuses the audience %j", (aud, expected) => {
    expect(messages(oidcAudienceField, aud)).toEqual(expected);
  });

  it.each(["system:serviceaccount:ns:sa", "system:serviceaccount:ns:*", "user|123"])("accepts the subject %j", (sub) => {
    expect(oidcSubjectField.parse(sub)).toBe(sub);
  });

  it.each([
    ["", ["Enter the subject the tokens must carry, or leave it out"]],
    ["$sub", ["A subject uses printable ASCII characters, without $"]],
    ["line\nbreak", ["A subject uses printable ASCII characters, without $"]],
  ])("refuses the subject %j", (sub, expected) => {
    expect(messages(oidcSubjectField, sub)).toEqual(expected);
  });
});

describe("generateExternalId", () => {
  it("makes 32 letters and digits that STS accepts as an ExternalId", () => {
    const id = generateExternalId();
    expect(id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(externalIdField.parse(id)).toBe(id);
  });

  it("never repeats itself", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateExternalId()));
    expect(ids.size).toBe(1000);
  });

  it("uses the whole alphabet, each character about as often", () => {
    const counts = new Map<string, number>();
    for (const ch of Array.from({ length: 2000 }, () => generateExternalId()).join("")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 64,000 draws: about 1032 per character; a biased modulo would skew the first eight by ~25 %.
    for (const n of counts.values()) expect(n).toBeGreaterThan(850);
    for (const n of counts.values()) expect(n).toBeLessThan(1220);
  });
});
