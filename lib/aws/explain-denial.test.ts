import { CreateAccessKeyCommand, CreateUserCommand, GetRoleCommand, PutUserPolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, type AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, SEED_EXTERNAL_ID, SEED_SCP, seedState } from "@/sandbox/core/seed";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "@/sandbox/testing";
import { EXTERNAL_ID_PLACEHOLDER, explainAssumeRoleFailure, type AssumeRoleFailure, type DenialKind } from "./explain-denial";
import { organizationDenialIn, type OrgLevel, type OrgPolicyFacts, type OrgTarget } from "./organization-denial";

// The sandbox's seeded roles are the fixtures: their trust policies are the ones AWS's
// cross-account tutorials build (sandbox/core/seed.ts).
const world = seedState(Date.now());
function seeded(account: string, roleName: string): { roleArn: string; trustPolicy: string; maxSessionDuration: number } {
  const role = world.accounts[account]!.roles[roleName.toLowerCase()]!;
  return { roleArn: role.arn, trustPolicy: role.assumeRolePolicyDocument, maxSessionDuration: role.maxSessionDuration };
}

const BROKER = { arn: `arn:aws:iam::${ACCOUNTS.operations}:user/switchboard`, accountId: ACCOUNTS.operations };
const TASK_ROLE_BROKER = {
  arn: `arn:aws:sts::${ACCOUNTS.operations}:assumed-role/SwitchboardTask/0f3c9a1b2c3d`,
  accountId: ACCOUNTS.operations,
};
const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNTS.operations}:role/SwitchboardTask`;
const OPERATOR = "alice@example.com";

/** AWS's AccessDenied text for AssumeRole. */
const accessDenied = (roleArn: string, caller = BROKER.arn, action = "sts:AssumeRole") => ({
  name: "AccessDenied",
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${roleArn}`,
});
/** AWS's two ValidationError texts for DurationSeconds
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
const CHAINING_ERROR = { name: "ValidationError", message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining." };
const ROLE_MAX_ERROR = { name: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." };

function failure(role: { roleArn: string; trustPolicy?: string }, overrides: Partial<AssumeRoleFailure> = {}): AssumeRoleFailure {
  return {
    error: accessDenied(role.roleArn, overrides.broker?.arn),
    roleArn: role.roleArn,
    broker: BROKER,
    request: { sourceIdentity: OPERATOR, roleSessionName: OPERATOR },
    trustPolicy: role.trustPolicy,
    roleExists: true,
    brokerKind: "long-term",
    ...overrides,
  };
}

const trust = (roleArn: string, statements: object[]) => ({ roleArn, trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

const DEVELOPMENT_TESTERS = seeded(ACCOUNTS.test, "DevelopmentTesters");
const CA_SERVICE_DEPLOYER = seeded(ACCOUNTS.production, "CA_ServiceDeployer");
const THIRD_PARTY_AUDITOR = seeded(ACCOUNTS.production, "ThirdPartyAuditor");
const BREAK_GLASS = seeded(ACCOUNTS.production, "BreakGlassAdmin");
/** A provisioning role as AWS Organizations creates it: Operations may assume it, nothing more
 * (the sandbox's seeded ones also allow sts:SetSourceIdentity and sts:TagSession, since the
 * console names the person in each provisioning session). */
const PROVISIONING = trust(`arn:aws:iam::${ACCOUNTS.production}:role/OrganizationAccountAccessRole`, [
  { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNTS.operations}:root` }, Action: "sts:AssumeRole" },
]);
const PRODUCTION_READONLY = seeded(ACCOUNTS.production, "ReadOnly");
const OPERATIONS_READONLY = seeded(ACCOUNTS.operations, "ReadOnly");
const DELEGATE = seeded(ACCOUNTS.production, "delegate_read_my_bucket");

describe("explainAssumeRoleFailure: the kind for each seeded role", () => {
  it.each<[string, AssumeRoleFailure, DenialKind]>([
    ["DevelopmentTesters trusts only Development", failure(DEVELOPMENT_TESTERS), "trust-policy"],
    ["CA_ServiceDeployer trusts only Operations' JenkinsRole", failure(CA_SERVICE_DEPLOYER), "trust-policy"],
    ["ThirdPartyAuditor without the ExternalId", failure(THIRD_PARTY_AUDITOR), "external-id"],
    ["ThirdPartyAuditor with a wrong ExternalId", failure(THIRD_PARTY_AUDITOR, { request: { externalId: "not-the-one", sourceIdentity: OPERATOR } }), "external-id"],
    ["ThirdPartyAuditor with its ExternalId but session tags", failure(THIRD_PARTY_AUDITOR, { request: { externalId: SEED_EXTERNAL_ID, sourceIdentity: OPERATOR, tags: true } }), "session-tags"],
    ["ThirdPartyAuditor with its ExternalId: the broker's side", failure(THIRD_PARTY_AUDITOR, { request: { externalId: SEED_EXTERNAL_ID, sourceIdentity: OPERATOR } }), "caller-permission"],
    ["BreakGlassAdmin requires MFA (long-term broker)", failure(BREAK_GLASS, { request: {} }), "mfa"],
    ["BreakGlassAdmin requires MFA (temporary broker)", failure(BREAK_GLASS, { request: {}, brokerKind: "temporary" }), "mfa"],
    ["the provisioning role does not allow SetSourceIdentity", failure(PROVISIONING), "source-identity"],
    ["the provisioning role does not allow TagSession", failure(PROVISIONING, { request: { tags: true } }), "session-tags"],
    ["the provisioning role without SourceIdentity: the broker's side", failure(PROVISIONING, { request: {} }), "caller-permission"],
    ["Production ReadOnly trusts Operations: the broker's side", failure(PRODUCTION_READONLY, { request: { sourceIdentity: OPERATOR, tags: true } }), "caller-permission"],
    ["Operations ReadOnly trusts its own account root: the broker's identity policy decides", failure(OPERATIONS_READONLY), "caller-permission"],
    ["delegate_read_my_bucket trusts the broker by ARN (cross-account)", failure(DELEGATE, { request: { sourceIdentity: OPERATOR, tags: true } }), "caller-permission"],
    ["a role that does not exist", failure(DEVELOPMENT_TESTERS, { roleExists: false }), "role-missing"],
    ["a trust policy the console cannot read", failure({ roleArn: DEVELOPMENT_TESTERS.roleArn }), "unknown"],
    ["the chaining limit", failure(PRODUCTION_READONLY, { error: CHAINING_ERROR }), "duration"],
    ["the role's MaxSessionDuration", failure(PRODUCTION_READONLY, { error: ROLE_MAX_ERROR }), "duration"],
  ])("%s → %s", (_name, input, kind) => {
    expect(explainAssumeRoleFailure(input).kind).toBe(kind);
  });
});

describe("trust-policy", () => {
  it("names the broker and gives the statement to add to the target's trust policy", () => {
    const out = explainAssumeRoleFailure(failure(DEVELOPMENT_TESTERS));
    expect(out.summary).toBe(
      "The trust policy of arn:aws:iam::444444444444:role/DevelopmentTesters does not trust the console's broker (arn:aws:iam::333333333333:user/switchboard), " +
        "so AWS refuses every switch into it. Add a statement that allows the broker to assume the role.",
    );
    expect(out.fix).toEqual({
      where: "the trust policy of arn:aws:iam::444444444444:role/DevelopmentTesters",
      statement: {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::333333333333:user/switchboard" },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      },
    });
  });

  it("keeps an ExternalId requirement in the fix, as a placeholder, when the switch sends one", () => {
    const out = explainAssumeRoleFailure(failure(DEVELOPMENT_TESTERS, { request: { externalId: "secret-ish-value-123", sourceIdentity: OPERATOR } }));
    expect(out.fix?.statement).toEqual({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::333333333333:user/switchboard" },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID_PLACEHOLDER } },
    });
    expect(JSON.stringify(out)).not.toContain("secret-ish-value-123");
  });

  it("asks only for sts:AssumeRole when no SourceIdentity is sent, and adds TagSession when tags are", () => {
    expect(explainAssumeRoleFailure(failure(CA_SERVICE_DEPLOYER, { request: {} })).fix?.statement).toMatchObject({ Action: "sts:AssumeRole" });
    expect(explainAssumeRoleFailure(failure(CA_SERVICE_DEPLOYER, { request: { tags: true } })).fix?.statement).toMatchObject({
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
  });

  it("names a broker on a role by its role ARN, not its session ARN", () => {
    const out = explainAssumeRoleFailure(failure(DEVELOPMENT_TESTERS, { broker: TASK_ROLE_BROKER, brokerKind: "temporary" }));
    expect(out.kind).toBe("trust-policy");
    expect(out.fix?.statement).toMatchObject({ Principal: { AWS: TASK_ROLE_ARN } });
  });

  it("uses the broker's role ARN with its path when the caller knows it", () => {
    const pathed = `arn:aws:iam::${ACCOUNTS.operations}:role/platform/SwitchboardTask`;
    const role = trust("arn:aws:iam::111111111111:role/Pathed", [{ Effect: "Allow", Principal: { AWS: pathed }, Action: "sts:AssumeRole" }]);
    const broker = { ...TASK_ROLE_BROKER, roleArn: pathed };
    expect(explainAssumeRoleFailure(failure(role, { broker, brokerKind: "temporary", request: {} })).kind).toBe("caller-permission");
    expect(explainAssumeRoleFailure(failure(role, { broker: TASK_ROLE_BROKER, brokerKind: "temporary", request: {} })).kind).toBe("trust-policy");
  });

  it("names the conditions the switch does not meet", () => {
    const role = trust("arn:aws:iam::111111111111:role/Named", [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNTS.operations}:root` }, Action: "sts:AssumeRole", Condition: { StringLike: { "sts:RoleSessionName": "*@corp.example" } } },
    ]);
    const out = explainAssumeRoleFailure(failure(role, { request: { roleSessionName: OPERATOR } }));
    expect(out.kind).toBe("trust-policy");
    expect(out.summary).toContain("only under conditions this switch does not meet (sts:RoleSessionName)");
    expect(out.fix?.where).toBe("the trust policy of arn:aws:iam::111111111111:role/Named");
  });

  it("says which statement explicitly denies the broker, without a statement to add", () => {
    const role = trust("arn:aws:iam::111111111111:role/Denying", [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNTS.operations}:root` }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] },
      { Sid: "NoConsole", Effect: "Deny", Principal: { AWS: BROKER.arn }, Action: "sts:AssumeRole" },
    ]);
    const out = explainAssumeRoleFailure(failure(role));
    expect(out).toEqual({
      kind: "trust-policy",
      summary:
        "Statement 2 (Sid NoConsole) of the trust policy of arn:aws:iam::111111111111:role/Denying explicitly denies the console's broker sts:AssumeRole, " +
        "and a Deny always wins over an Allow. Remove or narrow that Deny statement.",
    });
  });
});

describe("external-id", () => {
  it("says the entry has no ExternalId stored", () => {
    const out = explainAssumeRoleFailure(failure(THIRD_PARTY_AUDITOR));
    expect(out.summary).toBe(
      "The trust policy of arn:aws:iam::111111111111:role/ThirdPartyAuditor requires an ExternalId (sts:ExternalId), and this role entry has none stored. " +
        "Store the ExternalId the role's owner gave you on the role entry.",
    );
    expect(out.summary).not.toContain(SEED_EXTERNAL_ID);
    expect(out.fix).toBeUndefined();
  });

  it("says the stored ExternalId does not match, without printing either value", () => {
    const out = explainAssumeRoleFailure(failure(THIRD_PARTY_AUDITOR, { request: { externalId: "not-the-one", sourceIdentity: OPERATOR } }));
    expect(out.summary).toContain("the ExternalId stored for this role does not match it");
    expect(JSON.stringify(out)).not.toContain("not-the-one");
    expect(JSON.stringify(out)).not.toContain(SEED_EXTERNAL_ID);
  });
});

describe("mfa", () => {
  it("explains that the console cannot present MFA and suggests trusting the broker itself", () => {
    const out = explainAssumeRoleFailure(failure(BREAK_GLASS, { request: {} }));
    expect(out.summary).toMatch(/^The trust policy of arn:aws:iam::111111111111:role\/BreakGlassAdmin requires MFA \(aws:MultiFactorAuthPresent\), which the console's broker can never present/);
    expect(out.summary).toContain("add a statement that trusts the broker itself without the MFA condition");
    expect(out.fix).toEqual({
      where: "the trust policy of arn:aws:iam::111111111111:role/BreakGlassAdmin",
      statement: { Effect: "Allow", Principal: { AWS: BROKER.arn }, Action: "sts:AssumeRole" },
    });
  });
});

describe("source-identity and session-tags", () => {
  it("gives the statement that adds sts:SetSourceIdentity", () => {
    const out = explainAssumeRoleFailure(failure(PROVISIONING));
    expect(out.summary).toBe(
      "The trust policy of arn:aws:iam::111111111111:role/OrganizationAccountAccessRole lets the broker assume the role but not set a source identity " +
        "(sts:SetSourceIdentity), which the console uses to record the operator in CloudTrail. Add sts:SetSourceIdentity for the broker to the trust policy.",
    );
    expect(out.fix).toEqual({
      where: "the trust policy of arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
      statement: { Effect: "Allow", Principal: { AWS: BROKER.arn }, Action: "sts:SetSourceIdentity" },
    });
  });

  it("gives the statement that adds sts:TagSession", () => {
    const out = explainAssumeRoleFailure(failure(THIRD_PARTY_AUDITOR, { request: { externalId: SEED_EXTERNAL_ID, tags: true } }));
    expect(out.summary).toBe(
      "The trust policy of arn:aws:iam::111111111111:role/ThirdPartyAuditor lets the broker assume the role but not tag the session (sts:TagSession). " +
        "Add sts:TagSession for the broker to the trust policy.",
    );
    expect(out.fix?.statement).toEqual({ Effect: "Allow", Principal: { AWS: BROKER.arn }, Action: "sts:TagSession" });
  });
});

describe("caller-permission", () => {
  it("gives the statement for the broker's identity policy, with every action the switch uses", () => {
    const out = explainAssumeRoleFailure(failure(PRODUCTION_READONLY, { request: { sourceIdentity: OPERATOR, tags: true } }));
    expect(out.summary).toBe(
      "The trust policy of arn:aws:iam::111111111111:role/ReadOnly allows the broker, so the refusal comes from the broker's own side: " +
        "its identity policy does not allow sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession on the role. " +
        "Add that permission to the broker's identity policy (arn:aws:iam::333333333333:user/switchboard); a permissions boundary or a service control policy can also block it.",
    );
    expect(out.fix).toEqual({
      where: "the broker's identity policy (arn:aws:iam::333333333333:user/switchboard)",
      statement: { Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], Resource: "arn:aws:iam::111111111111:role/ReadOnly" },
    });
  });

  it("names a role broker's identity policy by the role ARN", () => {
    const role = trust("arn:aws:iam::111111111111:role/ForTask", [{ Effect: "Allow", Principal: { AWS: TASK_ROLE_ARN }, Action: "sts:AssumeRole" }]);
    const out = explainAssumeRoleFailure(failure(role, { broker: TASK_ROLE_BROKER, brokerKind: "temporary", request: {} }));
    expect(out.fix).toEqual({
      where: `the broker's identity policy (${TASK_ROLE_ARN})`,
      statement: { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/ForTask" },
    });
  });

  it("within one account, a trust policy naming the broker itself needs no identity policy: only a Deny can refuse", () => {
    const role = trust(`arn:aws:iam::${ACCOUNTS.operations}:role/Local`, [{ Effect: "Allow", Principal: { AWS: BROKER.arn }, Action: "sts:AssumeRole" }]);
    const out = explainAssumeRoleFailure(failure(role, { request: {} }));
    expect(out.kind).toBe("caller-permission");
    expect(out.summary).toContain("an explicit Deny in its policies, a permissions boundary or a service control policy");
    expect(out.fix).toBeUndefined();
  });
});

describe("applying the fix", () => {
  const addStatement = (role: { roleArn: string; trustPolicy: string }, statement: object) => {
    const document = JSON.parse(role.trustPolicy) as { Statement: object[] };
    return { ...role, trustPolicy: JSON.stringify({ ...document, Statement: [...document.Statement, statement] }) };
  };

  it.each<[string, AssumeRoleFailure]>([
    ["trust-policy", failure(DEVELOPMENT_TESTERS, { request: { sourceIdentity: OPERATOR, tags: true } })],
    ["mfa", failure(BREAK_GLASS, { request: { sourceIdentity: OPERATOR } })],
    ["source-identity", failure(PROVISIONING)],
    ["session-tags", failure(THIRD_PARTY_AUDITOR, { request: { externalId: SEED_EXTERNAL_ID, tags: true } })],
  ])("%s: with the statement added, the trust policy allows the broker and only its own side remains", (_kind, input) => {
    const first = explainAssumeRoleFailure(input);
    const fixed = addStatement({ roleArn: input.roleArn, trustPolicy: input.trustPolicy! }, first.fix!.statement);
    expect(explainAssumeRoleFailure({ ...input, trustPolicy: fixed.trustPolicy }).kind).toBe("caller-permission");
  });
});

describe("duration", () => {
  it("explains the one-hour chaining cap and the value that works", () => {
    const out = explainAssumeRoleFailure(failure(PRODUCTION_READONLY, { error: CHAINING_ERROR, request: { durationSeconds: 7200 }, brokerKind: "temporary" }));
    expect(out).toEqual({
      kind: "duration",
      summary:
        "AWS refused a session of 7200 seconds (2 hours): the console runs on temporary credentials, so every switch is role chaining, which AWS caps at one hour. " +
        "A session of 3600 seconds (1 hour) or less works; for longer sessions run the console on long-term keys or an EC2 instance profile.",
    });
  });

  it("explains the role's MaxSessionDuration and the value that works", () => {
    const out = explainAssumeRoleFailure(
      failure(OPERATIONS_READONLY, { error: ROLE_MAX_ERROR, request: { durationSeconds: 43200 }, roleMaxSessionDuration: 14400 }),
    );
    expect(out.summary).toBe(
      "AWS refused a session of 43200 seconds (12 hours): the role arn:aws:iam::333333333333:role/ReadOnly allows at most 14400 seconds (4 hours). " +
        "A session of 14400 seconds (4 hours) or less works, or raise the role's maximum session duration in IAM.",
    );
  });

  it("says what to do when the role's maximum is not known", () => {
    const out = explainAssumeRoleFailure(failure(OPERATIONS_READONLY, { error: ROLE_MAX_ERROR, request: { durationSeconds: 5400 } }));
    expect(out.summary).toBe(
      "AWS refused a session of 5400 seconds (90 minutes): it is longer than the maximum session duration set on arn:aws:iam::333333333333:role/ReadOnly. " +
        "Lower this role entry's session duration to the role's maximum, or raise the maximum in IAM.",
    );
  });
});

describe("role-missing and unknown", () => {
  it("says the role does not exist", () => {
    expect(explainAssumeRoleFailure(failure(DEVELOPMENT_TESTERS, { roleExists: false, trustPolicy: undefined }))).toEqual({
      kind: "role-missing",
      summary: "The role arn:aws:iam::444444444444:role/DevelopmentTesters does not exist (any more): it may have been deleted or renamed. Re-create it, or remove this role entry.",
    });
  });

  it("names both halves when the trust policy cannot be read", () => {
    const out = explainAssumeRoleFailure(failure({ roleArn: PRODUCTION_READONLY.roleArn }));
    expect(out).toEqual({
      kind: "unknown",
      summary:
        "AWS refused the switch into arn:aws:iam::111111111111:role/ReadOnly, and the console cannot read the role's trust policy: " +
        "either the role's trust policy does not allow the broker (arn:aws:iam::333333333333:user/switchboard), " +
        "or the broker's own identity policy does not allow sts:AssumeRole, sts:SetSourceIdentity on the role.",
    });
  });

  it("treats a trust policy that does not parse as unreadable", () => {
    expect(explainAssumeRoleFailure(failure({ roleArn: PRODUCTION_READONLY.roleArn, trustPolicy: "{not json" })).kind).toBe("unknown");
    expect(explainAssumeRoleFailure(failure({ roleArn: PRODUCTION_READONLY.roleArn, trustPolicy: "%7Bnot%ZZjson" })).kind).toBe("unknown");
  });

  it("cannot tell when the only unmet condition is a key the console cannot see", () => {
    const role = trust("arn:aws:iam::111111111111:role/OrgOnly", [
      { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123defg" } } },
    ]);
    const out = explainAssumeRoleFailure(failure(role, { request: {} }));
    expect(out.kind).toBe("unknown");
    expect(out.summary).toContain("trusts the broker only under conditions on aws:PrincipalOrgID, which the console cannot check from here");
  });

  it("passes other AWS errors on in plain words", () => {
    const out = explainAssumeRoleFailure(
      failure(PRODUCTION_READONLY, { error: { name: "RegionDisabledException", message: "STS is not activated in this region for account:111111111111." } }),
    );
    expect(out).toEqual({
      kind: "unknown",
      summary: "Could not switch into arn:aws:iam::111111111111:role/ReadOnly: RegionDisabledException: STS is not activated in this region for account:111111111111.",
    });
  });
});

describe("the trust policy as IAM GetRole returns it", () => {
  it("reads a URL-encoded document the same as plain JSON", () => {
    for (const role of [DEVELOPMENT_TESTERS, THIRD_PARTY_AUDITOR, BREAK_GLASS, PROVISIONING, PRODUCTION_READONLY]) {
      const plain = explainAssumeRoleFailure(failure(role));
      const encoded = explainAssumeRoleFailure(failure({ ...role, trustPolicy: encodeURIComponent(role.trustPolicy) }));
      expect(encoded).toEqual(plain);
    }
  });
});

// The same engine on the sandbox's real answers: AssumeRole with the real STS client, the error
// as the SDK raises it, the trust policy as IAM GetRole returns it (URL-encoded) through the
// account's provisioning role; then the fix is applied and the switch succeeds.
// ---------------------------------------------------------------------------------------------
// Refusals by the organization's SCPs and RCPs. The facts are what lib/sessions/explain.ts reads
// with the broker's Organizations client: the path from the root down to an account and the
// policies attached at each level.

const ROOT: OrgTarget = { id: "r-ab12", type: "ROOT" };
const NON_PRODUCTION: OrgTarget = { id: "ou-ab12-11111111", type: "ORGANIZATIONAL_UNIT", name: "NonProduction" };
const FULL_AWS_ACCESS = { id: "p-FullAWSAccess", name: "FullAWSAccess", content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) };
const RCP_FULL_AWS_ACCESS = { id: "p-RCPFullAWSAccess", name: "RCPFullAWSAccess", content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }) };
const SEEDED_SCP = { id: "p-denytestp1", name: SEED_SCP.name, content: SEED_SCP.content };
const orgPolicy = (id: string, name: string, ...statements: object[]) => ({ id, name, content: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

/** A console whose broker lives in the Test account (a member account, so SCPs apply to it). */
const TEST_BROKER = { arn: `arn:aws:iam::${ACCOUNTS.test}:user/switchboard`, accountId: ACCOUNTS.test };
const TEST_ACCOUNT: OrgTarget = { id: ACCOUNTS.test, type: "ACCOUNT", name: "Test" };

function scpFacts(levels: { root?: OrgLevel["policies"]; ou?: OrgLevel["policies"]; account?: OrgLevel["policies"] } = {}): OrgPolicyFacts {
  return {
    type: "SERVICE_CONTROL_POLICY",
    accountId: ACCOUNTS.test,
    levels: [
      { target: ROOT, policies: levels.root ?? [FULL_AWS_ACCESS] },
      { target: NON_PRODUCTION, policies: levels.ou ?? [FULL_AWS_ACCESS] },
      { target: TEST_ACCOUNT, policies: levels.account ?? [FULL_AWS_ACCESS, SEEDED_SCP] },
    ],
    principalOrgId: "o-exampleorg1",
  };
}

const refusedBy = (why: string, roleArn = PRODUCTION_READONLY.roleArn, action = "sts:AssumeRole") => ({
  name: "AccessDenied",
  message: `User: ${TEST_BROKER.arn} is not authorized to perform: ${action} on resource: ${roleArn} ${why}`,
});
const SCP_DENY = "with an explicit deny in a service control policy";
const SCP_NONE = "because no service control policy allows the sts:AssumeRole action";

function orgFailure(error: { name: string; message: string }, organization?: OrgPolicyFacts, roleArn = PRODUCTION_READONLY.roleArn): AssumeRoleFailure {
  return { error, roleArn, broker: TEST_BROKER, request: { sourceIdentity: OPERATOR, roleSessionName: OPERATOR }, brokerKind: "long-term", ...(organization ? { organization } : {}) };
}

describe("organizationDenialIn: what AWS's message says", () => {
  it.each<[string, string, ReturnType<typeof organizationDenialIn>]>([
    ["an SCP's explicit deny", refusedBy(SCP_DENY).message, { type: "SERVICE_CONTROL_POLICY", explicit: true, action: "sts:AssumeRole" }],
    ["no SCP allows", refusedBy(SCP_NONE).message, { type: "SERVICE_CONTROL_POLICY", explicit: false, action: "sts:AssumeRole" }],
    ["an RCP's explicit deny of TagSession", refusedBy("with an explicit deny in a resource control policy", PRODUCTION_READONLY.roleArn, "sts:TagSession").message, { type: "RESOURCE_CONTROL_POLICY", explicit: true, action: "sts:TagSession" }],
    [
      "the form that carries the policy's ARN",
      `${refusedBy(SCP_DENY).message}: arn:aws:organizations::333333333333:policy/o-exampleorg1/service_control_policy/p-2kgnabcdef`,
      { type: "SERVICE_CONTROL_POLICY", explicit: true, action: "sts:AssumeRole", policyId: "p-2kgnabcdef" },
    ],
    ["an identity-based policy's deny", refusedBy("with an explicit deny in an identity-based policy").message, undefined],
    ["STS's refusal without a reason", accessDenied(PRODUCTION_READONLY.roleArn).message, undefined],
  ])("%s", (_name, message, expected) => {
    expect(organizationDenialIn(message)).toEqual(expected);
  });
});

describe("service-control-policy", () => {
  it("names the seeded SCP, its statement and the account it is attached to", () => {
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), scpFacts()));
    expect(out.kind).toBe("service-control-policy");
    expect(out.organizationPolicy).toEqual({
      type: "SERVICE_CONTROL_POLICY",
      target: TEST_ACCOUNT,
      policy: { id: "p-denytestp1", name: SEED_SCP.name, statement: "DenyAssumeRoleIntoProduction" },
    });
    expect(out.summary).toBe(
      `The service control policy ${SEED_SCP.name} (p-denytestp1), attached to the account Test (${ACCOUNTS.test}), denies sts:AssumeRole on ${PRODUCTION_READONLY.roleArn} ` +
        `(statement DenyAssumeRoleIntoProduction). SCPs cap what every principal in the broker's account (Test (${ACCOUNTS.test})) may do, whatever its own policies allow, and a Deny there overrides every Allow. ` +
        `Ask your organization's administrators to narrow that statement or to detach the policy, or run the console's broker in an account it does not cover.`,
    );
    expect(out.fix).toBeUndefined();
  });

  it("finds a Deny attached at the root as well as at the account", () => {
    const denyAll = orgPolicy("p-denyeveryth", "DenyEverything", { Effect: "Deny", Action: "*", Resource: "*" });
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), scpFacts({ root: [FULL_AWS_ACCESS, denyAll], account: [FULL_AWS_ACCESS] })));
    expect(out.organizationPolicy).toMatchObject({ target: ROOT, policy: { id: "p-denyeveryth", statement: "statement 1" } });
    expect(out.summary).toContain("attached to the organization's root (r-ab12)");
  });

  it("prefers the policy the message names by ARN when two deny", () => {
    const other = orgPolicy("p-otherdeny01", "DenyProductionToo", { Sid: "Other", Effect: "Deny", Action: "sts:*", Resource: "*" });
    const facts = scpFacts({ ou: [FULL_AWS_ACCESS, other] });
    expect(explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), facts)).organizationPolicy?.policy?.id).toBe("p-otherdeny01");
    const withArn = { name: "AccessDenied", message: `${refusedBy(SCP_DENY).message}: arn:aws:organizations::333333333333:policy/o-exampleorg1/service_control_policy/p-denytestp1` };
    expect(explainAssumeRoleFailure(orgFailure(withArn, facts)).organizationPolicy?.policy?.id).toBe("p-denytestp1");
  });

  it("says at which level no SCP allows the action, and the statement that would", () => {
    const stsReadOnly = orgPolicy("p-stsreadonly", "AllowStsReadOnly", { Effect: "Allow", Action: ["sts:GetCallerIdentity", "sts:GetSessionToken"], Resource: "*" });
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_NONE), scpFacts({ ou: [stsReadOnly], account: [FULL_AWS_ACCESS] })));
    expect(out.kind).toBe("service-control-policy");
    expect(out.organizationPolicy).toEqual({ type: "SERVICE_CONTROL_POLICY", target: NON_PRODUCTION });
    expect(out.summary).toMatch(/^No service control policy attached to the OU NonProduction \(ou-ab12-11111111\) allows sts:AssumeRole \(attached there: AllowStsReadOnly \(p-stsreadonly\)\)\. /);
    expect(out.fix).toEqual({
      where: "a service control policy attached to the OU NonProduction (ou-ab12-11111111)",
      statement: { Effect: "Allow", Action: "sts:AssumeRole", Resource: PRODUCTION_READONLY.roleArn },
    });
  });

  it("evaluates conditions it can check, and says which ones it cannot", () => {
    const byOrg = orgPolicy("p-outsideorg1", "DenyOutsideOrg", { Sid: "OnlyOurOrg", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-exampleorg1" } } });
    const byIp = orgPolicy("p-officeonly1", "OfficeOnly", { Sid: "FromTheOffice", Effect: "Deny", Action: "sts:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } } });
    // The broker is in o-exampleorg1, so DenyOutsideOrg does not apply; OfficeOnly does if the
    // broker calls from outside 192.0.2.0/24, which the console cannot see.
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), scpFacts({ account: [FULL_AWS_ACCESS, byOrg, byIp] })));
    expect(out.organizationPolicy?.policy).toEqual({ id: "p-officeonly1", name: "OfficeOnly", statement: "FromTheOffice" });
    expect(out.summary).toContain("(statement FromTheOffice) when its condition on aws:SourceIp holds (which the console cannot check from here)");
  });

  it("says so when none of the SCPs it read refuses the request", () => {
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), scpFacts({ account: [FULL_AWS_ACCESS] })));
    expect(out.kind).toBe("service-control-policy");
    expect(out.organizationPolicy).toBeUndefined();
    expect(out.summary).toContain("but none of those the console read from the root down to the account Test (444444444444) (FullAWSAccess (p-FullAWSAccess))");
  });

  it("explains as before when the broker could not read the organization, or read the other type", () => {
    const without = explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY)));
    expect(without.kind).toBe("unknown");
    const rcpFacts: OrgPolicyFacts = { ...scpFacts(), type: "RESOURCE_CONTROL_POLICY" };
    expect(explainAssumeRoleFailure(orgFailure(refusedBy(SCP_DENY), rcpFacts))).toEqual(without);
    // And facts without a message that names an SCP change nothing either.
    const trustDenied = explainAssumeRoleFailure({ ...failure(DEVELOPMENT_TESTERS), organization: scpFacts() });
    expect(trustDenied).toEqual(explainAssumeRoleFailure(failure(DEVELOPMENT_TESTERS)));
  });
});

describe("resource-control-policy", () => {
  const RCP_DENY = "with an explicit deny in a resource control policy";
  const production: OrgTarget = { id: ACCOUNTS.production, type: "ACCOUNT", name: "Production" };
  const rcpFacts = (policies: OrgLevel["policies"], principalOrgId?: string): OrgPolicyFacts => ({
    type: "RESOURCE_CONTROL_POLICY",
    accountId: ACCOUNTS.production,
    levels: [
      { target: ROOT, policies: [RCP_FULL_AWS_ACCESS] },
      { target: { id: "ou-ab12-22222222", type: "ORGANIZATIONAL_UNIT", name: "Production" }, policies: [RCP_FULL_AWS_ACCESS] },
      { target: production, policies: [RCP_FULL_AWS_ACCESS, ...policies] },
    ],
    resourceOrgId: "o-exampleorg1",
    ...(principalOrgId ? { principalOrgId } : {}),
  });
  // The data perimeter AWS's RCP examples start from: nobody outside the organization.
  const perimeter = orgPolicy("p-perimeter01", "OrganizationPerimeter", {
    Sid: "EnforceOrgIdentities",
    Effect: "Deny",
    Principal: "*",
    Action: "sts:AssumeRole",
    Resource: "*",
    Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-exampleorg1" }, "Null": { "aws:PrincipalAccount": "false" } },
  });

  it("names the RCP on the role's account that keeps a broker from outside the organization out", () => {
    const out = explainAssumeRoleFailure({ ...orgFailure(refusedBy(RCP_DENY), rcpFacts([perimeter])), broker: { arn: "arn:aws:iam::999999999999:user/switchboard", accountId: "999999999999" }, error: { name: "AccessDenied", message: refusedBy(RCP_DENY).message.replace(TEST_BROKER.arn, "arn:aws:iam::999999999999:user/switchboard") } });
    expect(out.kind).toBe("resource-control-policy");
    expect(out.organizationPolicy).toEqual({ type: "RESOURCE_CONTROL_POLICY", target: production, policy: { id: "p-perimeter01", name: "OrganizationPerimeter", statement: "EnforceOrgIdentities" } });
    expect(out.summary).toContain(`RCPs cap what anyone may do with the resources of the role's account (Production (${ACCOUNTS.production})), whatever the role's trust policy allows`);
  });

  it("does not blame the perimeter for a broker inside the organization", () => {
    const out = explainAssumeRoleFailure(orgFailure(refusedBy(RCP_DENY), rcpFacts([perimeter], "o-exampleorg1")));
    expect(out.organizationPolicy).toBeUndefined();
    expect(out.summary).toMatch(/^AWS refused the switch into .* because of a resource control policy \(an explicit Deny\), but none of those the console read/);
  });
});

describe("explainAssumeRoleFailure against the sandbox", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
    // Production's provisioning role as AWS Organizations creates it (sts:AssumeRole only).
    await (await provisioning(ACCOUNTS.production)).send(new UpdateAssumeRolePolicyCommand({ RoleName: "OrganizationAccountAccessRole", PolicyDocument: PROVISIONING.trustPolicy }));
  });
  afterAll(async () => {
    await t?.close();
  });

  const accountOf = (roleArn: string) => roleArn.split(":")[4]!;

  async function provisioning(account: string) {
    const out = await t.sts(t.broker).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "provisioning" }),
    );
    return t.iam(credsOf(out));
  }

  /** What the provisioning role can read about a role: exists, trust policy, maximum. */
  async function roleFacts(roleArn: string): Promise<Pick<AssumeRoleFailure, "trustPolicy" | "roleExists" | "roleMaxSessionDuration">> {
    const iam = await provisioning(accountOf(roleArn));
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleArn.split("/").pop()! }));
      return { roleExists: true, trustPolicy: Role!.AssumeRolePolicyDocument, roleMaxSessionDuration: Role!.MaxSessionDuration };
    } catch (err) {
      // IAM's NoSuchEntity; SDK v3 names the error class NoSuchEntityException.
      if (/^NoSuchEntity/.test((err as Error).name)) return { roleExists: false };
      throw err;
    }
  }

  async function attempt(creds: Creds, input: Omit<AssumeRoleCommandInput, "RoleSessionName">): Promise<{ name: string; message: string } | undefined> {
    try {
      await t.sts(creds).send(new AssumeRoleCommand({ RoleSessionName: OPERATOR, ...input }));
      return undefined;
    } catch (err) {
      const { name, message } = err as Error;
      return { name, message };
    }
  }

  async function explainReal(
    creds: Creds,
    broker: AssumeRoleFailure["broker"],
    input: Omit<AssumeRoleCommandInput, "RoleSessionName">,
    brokerKind: AssumeRoleFailure["brokerKind"] = "long-term",
  ) {
    const error = await attempt(creds, input);
    expect(error).toBeDefined();
    return explainAssumeRoleFailure({
      error: error!,
      roleArn: input.RoleArn!,
      broker,
      request: {
        externalId: input.ExternalId,
        sourceIdentity: input.SourceIdentity,
        roleSessionName: OPERATOR,
        durationSeconds: input.DurationSeconds,
        tags: (input.Tags?.length ?? 0) > 0,
      },
      ...(await roleFacts(input.RoleArn!)),
      brokerKind,
    });
  }

  it.each<[string, Omit<AssumeRoleCommandInput, "RoleSessionName">, DenialKind]>([
    ["DevelopmentTesters", { RoleArn: DEVELOPMENT_TESTERS.roleArn, SourceIdentity: OPERATOR }, "trust-policy"],
    ["ThirdPartyAuditor without ExternalId", { RoleArn: THIRD_PARTY_AUDITOR.roleArn, SourceIdentity: OPERATOR }, "external-id"],
    ["ThirdPartyAuditor with a wrong ExternalId", { RoleArn: THIRD_PARTY_AUDITOR.roleArn, ExternalId: "wrong-external-id" }, "external-id"],
    ["BreakGlassAdmin", { RoleArn: BREAK_GLASS.roleArn }, "mfa"],
    ["the provisioning role with SourceIdentity", { RoleArn: PROVISIONING.roleArn, SourceIdentity: OPERATOR }, "source-identity"],
    ["the provisioning role with session tags", { RoleArn: PROVISIONING.roleArn, Tags: [{ Key: "operator", Value: "alice" }] }, "session-tags"],
    ["Operations ReadOnly for 12 hours (its maximum is 4)", { RoleArn: OPERATIONS_READONLY.roleArn, DurationSeconds: 43200 }, "duration"],
    ["a role that does not exist", { RoleArn: "arn:aws:iam::444444444444:role/Gone" }, "role-missing"],
  ])("%s → %s", async (_name, input, kind) => {
    const out = await explainReal(t.broker, BROKER, input);
    expect(out.kind).toBe(kind);
  });

  it("the duration explanation gives the value AWS then accepts", async () => {
    const out = await explainReal(t.broker, BROKER, { RoleArn: OPERATIONS_READONLY.roleArn, DurationSeconds: 43200 });
    expect(out.summary).toContain("allows at most 14400 seconds (4 hours)");
    expect(await attempt(t.broker, { RoleArn: OPERATIONS_READONLY.roleArn, DurationSeconds: 14400 })).toBeUndefined();
  });

  it("role chaining beyond one hour → duration, and one hour works", async () => {
    const first = credsOf(await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/PowerUser", RoleSessionName: "broker" })));
    const chainedBroker = { arn: "arn:aws:sts::222222222222:assumed-role/PowerUser/broker", accountId: ACCOUNTS.development };
    const out = await explainReal(first, chainedBroker, { RoleArn: DELEGATE.roleArn, DurationSeconds: 7200 }, "temporary");
    expect(out.kind).toBe("duration");
    expect(out.summary).toContain("A session of 3600 seconds (1 hour) or less works");
    expect(await attempt(first, { RoleArn: DELEGATE.roleArn, DurationSeconds: 3600 })).toBeUndefined();
  });

  it("trust-policy: with the statement added to the trust policy, the switch succeeds", async () => {
    const input = { RoleArn: DEVELOPMENT_TESTERS.roleArn, SourceIdentity: OPERATOR };
    const out = await explainReal(t.broker, BROKER, input);
    const { trustPolicy } = await roleFacts(input.RoleArn);
    const document = JSON.parse(decodeURIComponent(trustPolicy!)) as { Statement: object[] };
    document.Statement.push(out.fix!.statement);
    const iam = await provisioning(ACCOUNTS.test);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "DevelopmentTesters", PolicyDocument: JSON.stringify(document) }));
    expect(await attempt(t.broker, input)).toBeUndefined();
  });

  it("caller-permission: a broker without sts:AssumeRole, and with the statement added to its identity policy the switch succeeds", async () => {
    const iam = await provisioning(ACCOUNTS.operations);
    await iam.send(new CreateUserCommand({ UserName: "bare-broker" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "bare-broker" }));
    const bare: Creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const broker = { arn: `arn:aws:iam::${ACCOUNTS.operations}:user/bare-broker`, accountId: ACCOUNTS.operations };
    const input = { RoleArn: PRODUCTION_READONLY.roleArn, SourceIdentity: OPERATOR };

    const out = await explainReal(bare, broker, input);
    expect(out.kind).toBe("caller-permission");
    expect(out.fix!.where).toBe(`the broker's identity policy (${broker.arn})`);

    const policy = { Version: "2012-10-17", Statement: [out.fix!.statement] };
    await iam.send(new PutUserPolicyCommand({ UserName: "bare-broker", PolicyName: "switchboard-broker", PolicyDocument: JSON.stringify(policy) }));
    expect(await attempt(bare, input)).toBeUndefined();
  });
});
