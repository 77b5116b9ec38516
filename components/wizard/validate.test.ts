import { describe, expect, it } from "vitest";
import type { WizardDocument } from "@/lib/provision/types";
import { emptyDocument } from "./draft";
import type { WizardAccount } from "./types";
import { entityIdentity, fieldId, firstInvalidStep, jsonProblem, normalizeFieldKeys, pruneErrors, stepOfField, validateStep, validateWhat, validateWhere, validateWho, valueAt } from "./validate";

const accounts: WizardAccount[] = [
  { accountId: "111111111111", name: "Production", environment: "production", color: "#dc2626", partition: "aws", canProvision: true },
  { accountId: "222222222222", name: "Development", environment: "development", color: "#2563eb", partition: "aws", canProvision: true },
  { accountId: "555555555555", name: "Legacy", environment: "other", color: "#475569", partition: "aws", canProvision: false },
];

function doc(patch: (d: WizardDocument) => void = () => {}): WizardDocument {
  const d = emptyDocument();
  d.target.accountId = "111111111111";
  d.target.roleName = "delegate_read_my_bucket";
  patch(d);
  return d;
}

const keys = (errors: Record<string, string>) => Object.keys(errors).sort();

describe("Where", () => {
  it("accepts a complete first step", () => {
    expect(validateWhere(doc(), accounts)).toEqual({});
  });

  it("asks for an account and a name", () => {
    const errors = validateWhere(emptyDocument(), accounts);
    expect(errors["target.accountId"]).toBe("Choose the account the role will live in");
    expect(errors["target.roleName"]).toBeTruthy();
  });

  it.each<[string, (d: WizardDocument) => void, string]>([
    ["an account the console cannot provision", (d) => (d.target.accountId = "555555555555"), "target.accountId"],
    ["an account that is not registered", (d) => (d.target.accountId = "999999999999"), "target.accountId"],
    ["a role name with a space", (d) => (d.target.roleName = "my role"), "target.roleName"],
    ["a role name of 65 characters", (d) => (d.target.roleName = "r".repeat(65)), "target.roleName"],
    ["a path without the trailing slash", (d) => (d.target.path = "/teams"), "target.path"],
    ["an empty path", (d) => (d.target.path = ""), "target.path"],
    ["a description with emoji", (d) => (d.target.description = "hi 🚀"), "target.description"],
    ["a session of 13 hours", (d) => (d.target.maxSessionDuration = 13 * 3600), "target.maxSessionDuration"],
    ["a malformed boundary ARN", (d) => (d.target.permissionsBoundaryArn = "ReadOnly"), "target.permissionsBoundaryArn"],
    ["a reserved tag key", (d) => (d.target.tags = [{ key: "aws:owner", value: "x" }]), "target.tags.0.key"],
    ["a tag value of 257 characters", (d) => (d.target.tags = [{ key: "k", value: "v".repeat(257) }]), "target.tags.0.value"],
    ["a tag without its key", (d) => (d.target.tags = [{ key: "", value: "v" }]), "target.tags.0.key"],
  ])("refuses %s", (_, patch, key) => {
    expect(keys(validateWhere(doc(patch), accounts))).toEqual([key]);
  });

  it("says which tag already has a key, whatever its case", () => {
    const errors = validateWhere(
      doc((d) => (d.target.tags = [{ key: "Team", value: "a" }, { key: "", value: "" }, { key: "team", value: "b" }])),
      accounts,
    );
    expect(errors).toEqual({ "target.tags.2.key": "The key team is already used by tag 1 (case does not count)" });
  });

  it("ignores blank tag rows and an empty boundary", () => {
    expect(validateWhere(doc((d) => ((d.target.tags = [{ key: " ", value: "" }]), (d.target.permissionsBoundaryArn = ""))), accounts)).toEqual({});
  });
});

describe("Who", () => {
  it("accepts the default (this console)", () => {
    expect(validateWho(doc())).toEqual({});
  });

  it("asks for at least one trusted entity", () => {
    expect(keys(validateWho(doc((d) => (d.trust.entities = []))))).toEqual(["trust.entities"]);
  });

  it("accepts one of each kind, filled in", () => {
    const d = doc((d) => {
      d.trust.entities = [
        { kind: "broker" },
        { kind: "account", accountId: "222222222222" },
        { kind: "principal", arn: "arn:aws:iam::333333333333:role/JenkinsRole" },
        { kind: "service", service: "ec2.amazonaws.com" },
        { kind: "github", owner: "acme", repo: "deploy", ref: { type: "branch", name: "main" } },
        { kind: "oidc", providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.example.com", audience: "client", subject: "" },
        { kind: "saml", providerArn: "arn:aws:iam::111111111111:saml-provider/Okta" },
      ];
      d.trust.conditions = { externalId: "Abcdefghij0123456789", requireMfa: true, organizationId: "o-a1b2c3d4e5" };
    });
    expect(validateWho(d)).toEqual({});
  });

  it.each<[string, WizardDocument["trust"]["entities"][number], string]>([
    ["a short account id", { kind: "account", accountId: "2222" }, "trust.entities.1.accountId"],
    ["a principal that is not an ARN", { kind: "principal", arn: "JenkinsRole" }, "trust.entities.1.arn"],
    ["no service", { kind: "service", service: "" }, "trust.entities.1.service"],
    ["a GitHub owner with a slash", { kind: "github", owner: "acme/deploy", repo: "deploy", ref: { type: "branch", name: "main" } }, "trust.entities.1.owner"],
    ["a GitHub branch with a wildcard", { kind: "github", owner: "acme", repo: "deploy", ref: { type: "branch", name: "feature/*" } }, "trust.entities.1.ref.name"],
    ["a GitHub tag without its name", { kind: "github", owner: "acme", repo: "deploy", ref: { type: "tag", name: "" } }, "trust.entities.1.ref.name"],
    ["an OIDC provider without audience", { kind: "oidc", providerArn: "arn:aws:iam::111111111111:oidc-provider/x.example.com", audience: "" }, "trust.entities.1.audience"],
    ["an OIDC provider of another account", { kind: "oidc", providerArn: "arn:aws:iam::222222222222:oidc-provider/x.example.com", audience: "a" }, "trust.entities.1.providerArn"],
    ["a SAML provider of another account", { kind: "saml", providerArn: "arn:aws:iam::222222222222:saml-provider/Okta" }, "trust.entities.1.providerArn"],
  ])("refuses %s", (_, entity, key) => {
    expect(keys(validateWho(doc((d) => d.trust.entities.push(entity))))).toEqual([key]);
  });

  it("accepts GitHub pull requests, which have no name", () => {
    expect(validateWho(doc((d) => d.trust.entities.push({ kind: "github", owner: "acme", repo: "web", ref: { type: "pull_request" } })))).toEqual({});
  });

  it("points at the second copy of an entity", () => {
    const errors = validateWho(
      doc((d) => {
        d.trust.entities = [{ kind: "account", accountId: "222222222222" }, { kind: "broker" }, { kind: "account", accountId: " 222222222222" }, { kind: "broker" }];
      }),
    );
    expect(errors).toEqual({ "trust.entities.2.accountId": "Already in the list (trusted entity 1)", "trust.entities.3.kind": "Already in the list (trusted entity 2)" });
  });

  it("asks for the ExternalId once it is required, and checks the organization id", () => {
    expect(keys(validateWho(doc((d) => (d.trust.conditions = { externalId: "", organizationId: "o-1" }))))).toEqual([
      "trust.conditions.externalId",
      "trust.conditions.organizationId",
    ]);
    expect(validateWho(doc((d) => (d.trust.conditions = { externalId: "has space" })))["trust.conditions.externalId"]).toBeTruthy();
  });

  it("tells GitHub entities apart by repository and ref", () => {
    const a = { kind: "github", owner: "Acme", repo: "deploy", ref: { type: "branch", name: "main" } } as const;
    expect(entityIdentity(a)).toBe(entityIdentity({ ...a, owner: "acme" }));
    expect(entityIdentity(a)).not.toBe(entityIdentity({ ...a, ref: { type: "tag", name: "main" } }));
  });
});

describe("What", () => {
  it("accepts no permissions at all", () => {
    expect(validateWhat(doc())).toEqual({});
  });

  it("checks managed policy ARNs and duplicates", () => {
    const errors = validateWhat(doc((d) => (d.permissions.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"])));
    expect(keys(errors)).toEqual(["permissions.managedPolicyArns.1", "permissions.managedPolicyArns.2"]);
  });

  it("checks template parameters, names and JSON", () => {
    const errors = validateWhat(
      doc((d) => {
        d.permissions.inline = [
          { name: "ReadBucket", template: { id: "read-s3-bucket", bucket: "My_Bucket" } },
          { name: "readbucket", template: { id: "codedeploy-deploy", application: "app" } },
          { name: "Raw", document: "{ nope" },
          { name: "has space", document: "[]" },
          { name: "Fine", template: { id: "read-only" } },
        ];
      }),
    );
    expect(keys(errors)).toEqual([
      "permissions.inline.0.template.bucket",
      "permissions.inline.1.name",
      "permissions.inline.2.document",
      "permissions.inline.3.document",
      "permissions.inline.3.name",
    ]);
    expect(errors["permissions.inline.1.name"]).toBe("Inline policy 1 already has this name");
  });

  it.each([
    ["", "Paste the policy as JSON"],
    ["   ", "Paste the policy as JSON"],
    ["[]", 'A policy is a JSON object: { "Version": "2012-10-17", "Statement": [ … ] }'],
    ['{"Version":"2012-10-17","Statement":[]}', undefined],
  ])("jsonProblem(%j)", (text, message) => {
    expect(jsonProblem(text)).toBe(message);
  });
});

describe("steps", () => {
  it("finds the first step with problems", () => {
    expect(firstInvalidStep(emptyDocument(), accounts)).toBe(1);
    expect(firstInvalidStep(doc((d) => (d.trust.entities = [])), accounts)).toBe(2);
    expect(firstInvalidStep(doc((d) => (d.permissions.managedPolicyArns = ["x"])), accounts)).toBe(3);
    expect(firstInvalidStep(doc(), accounts)).toBe(4);
  });

  it("has nothing to say on Review and Create", () => {
    expect(validateStep(4, emptyDocument(), accounts)).toEqual({});
    expect(validateStep(5, emptyDocument(), accounts)).toEqual({});
  });

  it.each([
    ["target.roleName", 1],
    ["document.target.tags.0.key", 1],
    ["trust.entities.2.repo", 2],
    ["trust", 2],
    ["permissions.inline.0.document", 3],
    ["applySourcePolicies.0", 4],
    ["acknowledgeWarnings", null],
    ["_", null],
  ] as const)("puts %s on step %s", (key, step) => {
    expect(stepOfField(key)).toBe(step);
  });

  it("strips the apply route's document. prefix", () => {
    expect(normalizeFieldKeys({ "document.target.roleName": "a", "trust.entities": "b" })).toEqual({ "target.roleName": "a", "trust.entities": "b" });
    expect(normalizeFieldKeys(undefined)).toEqual({});
  });
});

describe("server messages", () => {
  it("drops a message once its value changes, and keeps the others", () => {
    const before = doc();
    const after = doc((d) => (d.target.roleName = "other"));
    const errors = { "target.roleName": "Taken", "target.accountId": "No provisioning role", "trust.entities.0.kind": "x" };
    expect(pruneErrors(errors, before, after)).toEqual({ "target.accountId": "No provisioning role", "trust.entities.0.kind": "x" });
  });

  it("reads values by path", () => {
    expect(valueAt(doc(), "trust.entities.0.kind")).toBe("broker");
    expect(valueAt(doc(), "trust.entities.7.kind")).toBeUndefined();
  });

  it("makes DOM ids from paths", () => {
    expect(fieldId("trust.entities.2.ref.name")).toBe("wz-trust-entities-2-ref-name");
  });
});
