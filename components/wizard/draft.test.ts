import { describe, expect, it } from "vitest";
import type { WizardDocument } from "@/lib/provision/types";
import { clearDrafts, DRAFT_KEY, draftKey, emptyDocument, emptyDraft, parseDraft, readDocument, serializeDraft, toSubmission, trustedAccountIds } from "./draft";

const full: WizardDocument = {
  target: {
    accountId: "111111111111",
    roleName: "delegate_read_my_bucket",
    path: "/teams/",
    description: "Read the bucket",
    maxSessionDuration: 7200,
    tags: [{ key: "team", value: "platform" }],
    permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/Boundary",
  },
  trust: {
    entities: [
      { kind: "broker" },
      { kind: "account", accountId: "222222222222" },
      { kind: "principal", arn: "arn:aws:iam::333333333333:role/JenkinsRole" },
      { kind: "service", service: "ec2.amazonaws.com" },
      { kind: "github", owner: "acme", repo: "deploy", ref: { type: "environment", name: "production" } },
      { kind: "github", owner: "acme", repo: "web", ref: { type: "pull_request" } },
      { kind: "oidc", providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.example.com", audience: "abc", subject: "sub-1" },
      { kind: "saml", providerArn: "arn:aws:iam::111111111111:saml-provider/Okta" },
    ],
    conditions: { externalId: "abcdefgh", requireMfa: true, organizationId: "o-a1b2c3d4e5" },
  },
  permissions: {
    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    inline: [
      { name: "ReadBucket", template: { id: "read-s3-bucket", bucket: "my-bucket" } },
      { name: "Deploy", template: { id: "codedeploy-deploy", application: "app" } },
      { name: "Inventory", template: { id: "read-only" } },
      { name: "Raw", document: '{"Version":"2012-10-17","Statement":[]}' },
    ],
  },
  applySourcePolicies: ["222222222222"],
};

describe("draft round trip", () => {
  it("keeps every kind of entity, template and condition", () => {
    const back = parseDraft(serializeDraft({ step: 3, document: full }));
    expect(back).toEqual({ step: 3, document: full });
  });

  it("keeps work in progress that is not valid yet", () => {
    const doc = emptyDocument();
    doc.target.accountId = "1234";
    doc.trust.conditions.externalId = "";
    doc.trust.entities.push({ kind: "service", service: "" });
    expect(parseDraft(serializeDraft({ step: 2, document: doc }))?.document).toEqual(doc);
  });

  it("brings a draft saved while creating back to Review, never to Create", () => {
    expect(parseDraft(serializeDraft({ step: 5, document: full }))?.step).toBe(4);
  });

  it("keeps each user's draft under its own storage key", () => {
    expect(draftKey("01HUSERA")).toBe(`${DRAFT_KEY}.01HUSERA`);
    expect(draftKey("01HUSERA")).not.toBe(draftKey("01HUSERB"));
  });
});

describe("parseDraft", () => {
  it.each<[string, string | null]>([
    ["nothing stored", null],
    ["not JSON", "{nope"],
    ["another version", JSON.stringify({ version: 99, step: 1, document: {} })],
    ["no document", JSON.stringify({ version: 1, step: 1 })],
    ["an array", "[]"],
    ["too large", "x".repeat(1_000_001)],
  ])("ignores %s", (_, raw) => {
    expect(parseDraft(raw)).toBeNull();
  });

  it("replaces unreadable parts with their empty values", () => {
    const raw = JSON.stringify({
      version: 1,
      step: "three",
      document: {
        target: { accountId: 111111111111, roleName: "r", maxSessionDuration: 99999, tags: [{ key: "a", value: 1 }, "junk"] },
        trust: { entities: [{ kind: "teleport" }, { kind: "account", accountId: "222222222222" }, null], conditions: { externalId: 5, requireMfa: "yes" } },
        permissions: { managedPolicyArns: ["arn", 3], inline: [{ name: "x", template: { id: "unknown" } }, { name: "y", document: "{}" }] },
        applySourcePolicies: "222222222222",
      },
    });
    expect(parseDraft(raw)).toEqual({
      step: 1,
      document: {
        target: { accountId: "", roleName: "r", path: "/", description: "", maxSessionDuration: 3600, tags: [{ key: "a", value: "" }] },
        trust: { entities: [{ kind: "account", accountId: "222222222222" }], conditions: {} },
        permissions: { managedPolicyArns: ["arn"], inline: [{ name: "y", document: "{}" }] },
        applySourcePolicies: [],
      },
    });
  });

  it("starts a document without trust with the console trusted, as a fresh one does", () => {
    expect(readDocument({}).trust.entities).toEqual([{ kind: "broker" }]);
    expect(emptyDraft()).toEqual({ step: 1, document: emptyDocument() });
  });
});

describe("trustedAccountIds", () => {
  it("lists whole accounts and the accounts of role and user ARNs, once each", () => {
    const doc = emptyDocument();
    doc.trust.entities = [
      { kind: "broker" },
      { kind: "account", accountId: "222222222222" },
      { kind: "account", accountId: "12" },
      { kind: "principal", arn: "arn:aws:iam::222222222222:user/alice" },
      { kind: "principal", arn: "arn:aws-us-gov:iam::333333333333:role/x" },
      { kind: "principal", arn: "not an arn" },
      { kind: "service", service: "ec2.amazonaws.com" },
    ];
    expect(trustedAccountIds(doc)).toEqual(["222222222222", "333333333333"]);
  });
});

describe("toSubmission", () => {
  it("leaves out empty optional fields and blank tag rows", () => {
    const doc = emptyDocument();
    doc.target.permissionsBoundaryArn = "  ";
    doc.target.tags = [
      { key: "", value: " " },
      { key: "team", value: "" },
    ];
    doc.trust.entities = [{ kind: "oidc", providerArn: "arn:aws:iam::111111111111:oidc-provider/x", audience: "a", subject: " " }];
    doc.trust.conditions = { requireMfa: false };
    const out = toSubmission(doc);
    expect(out.target).not.toHaveProperty("permissionsBoundaryArn");
    expect(out.target.tags).toEqual([{ key: "team", value: "" }]);
    expect(out.trust.entities).toEqual([{ kind: "oidc", providerArn: "arn:aws:iam::111111111111:oidc-provider/x", audience: "a" }]);
    expect(out.trust.conditions).toEqual({});
  });

  it("keeps what was filled in", () => {
    expect(toSubmission(full)).toEqual(full);
  });

  it("drops source-side policies for accounts the role no longer trusts", () => {
    const doc = { ...full, applySourcePolicies: ["222222222222", "333333333333", "444444444444", "222222222222"] };
    expect(toSubmission(doc).applySourcePolicies).toEqual(["222222222222", "333333333333"]);
  });
});

describe("clearDrafts (at sign-out)", () => {
  it("removes every user's draft and nothing else", () => {
    const data = new Map<string, string>([
      [draftKey("01AAAAAAAAAAAAAAAAAAAAAAAA"), "{}"],
      [draftKey("01BBBBBBBBBBBBBBBBBBBBBBBB"), "{}"],
      [DRAFT_KEY, "{}"],
      ["theme", "dark"],
    ]);
    const storage = {
      get length() {
        return data.size;
      },
      key: (i: number) => [...data.keys()][i] ?? null,
      removeItem: (k: string) => void data.delete(k),
    };
    expect(clearDrafts(storage)).toBe(3);
    expect([...data.keys()]).toEqual(["theme"]);
  });
});
