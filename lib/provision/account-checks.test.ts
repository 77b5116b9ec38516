// Issue 13: the Review step (and the apply, before any IAM write) asks the account whether the
// role name is taken and whether each managed policy exists, and says so at the field. The real
// store (SQLite), the real sandbox over HTTP, the real SDK.
import { CreatePolicyCommand, CreateRoleCommand } from "@aws-sdk/client-iam";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { PROD, awsPolicy, roleArn, session } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import type { WizardDocumentRaw } from "./schema";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "provision-account-checks");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { wizardDocumentInput } = await import("./schema");
const { planRole, prepareApply } = await import("./service");
const { PROVISIONING_CHECKS: REVIEW_CHECKS } = await import("@/lib/ratelimit/limiters");

const meta = { requestId: "req-account-checks", ip: "192.0.2.80", userAgent: "vitest" };

async function addAdmin(email: string): Promise<Actor> {
  const db = await getDb();
  const id = newId();
  const now = new Date().toISOString();
  await db.insertInto("users").values({ id, email, name: email, role: "admin", password_hash: null, aws_identity: email, created_at: now, updated_at: now }).execute();
  return testActor({ id, email, name: email, role: "admin", awsIdentity: email });
}

let admin: Actor;
const CUSTOMER = `arn:aws:iam::${PROD}:policy/team/DeployApp`;

beforeAll(async () => {
  admin = await addAdmin("checks@example.com");
  await createAccount(admin, { accountId: PROD, name: "Production", environment: "production" }, meta);
  const prod = t.iam(await session(t, roleArn(PROD, "OrganizationAccountAccessRole"), "test-setup"));
  const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
  await prod.send(new CreateRoleCommand({ RoleName: "AlreadyThere", Path: "/team/", AssumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: "sts:AssumeRole" }) }));
  await prod.send(new CreatePolicyCommand({ PolicyName: "DeployApp", Path: "/team/", PolicyDocument: doc({ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }) }));
});

afterEach(async () => {
  await t.admin.clearFaults();
});

const wizard = (target: Partial<WizardDocumentRaw["target"]>, managedPolicyArns: string[] = []) =>
  wizardDocumentInput.parse({ target: { accountId: PROD, roleName: "free-name", ...target }, trust: { entities: [{ kind: "broker" }] }, permissions: { managedPolicyArns, inline: [] } });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; fields: Record<string, string> }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string; fields?: Record<string, string> },
  );
  if (!err) throw new Error("expected a refusal");
  return { code: err.code, message: err.message, fields: err.fields ?? {} };
}

describe("the Review step's checks against the account", () => {
  it("plans a free name with existing AWS and customer managed policies, and lists the apply's steps", async () => {
    const planned = await planRole(admin, wizard({}, [awsPolicy("ReadOnlyAccess"), awsPolicy("job-function/ViewOnlyAccess"), CUSTOMER]), meta);
    expect(planned.plan.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(planned.steps.map((s) => [s.label, s.status])).toEqual([
      ["Create role free-name", "pending"],
      ["Attach managed policy ReadOnlyAccess", "pending"],
      ["Attach managed policy ViewOnlyAccess", "pending"],
      ["Attach managed policy DeployApp", "pending"],
    ]);
  });

  it.each(["AlreadyThere", "alreadythere"])("refuses the name %s at the field: IAM names are unique in an account whatever the path or case", async (roleName) => {
    const refused = await refusal(planRole(admin, wizard({ roleName }), meta));
    expect(refused.code).toBe("bad_request");
    expect(Object.keys(refused.fields)).toEqual(["target.roleName"]);
    expect(refused.fields["target.roleName"]).toBe(
      `A role named ${roleName} already exists in Production (${PROD}) (IAM role names are unique in an account, whatever their path or capitalisation). Choose another name, or register the existing role on the Roles page instead of creating it.`,
    );
    expect(refused.message).toBe(refused.fields["target.roleName"]);
  });

  it("refuses managed policies that do not exist, AWS managed and the account's own, at their place in the list", async () => {
    const since = await t.admin.lastSeq();
    const refused = await refusal(planRole(admin, wizard({}, [awsPolicy("ReadOnlyAccess"), awsPolicy("ViewOnlyAccess"), `arn:aws:iam::${PROD}:policy/NotMadeYet`]), meta));
    expect(refused.fields).toEqual({
      "permissions.managedPolicyArns.1": "AWS has no managed policy arn:aws:iam::aws:policy/ViewOnlyAccess. Check its name and path (some live under one, like arn:aws:iam::aws:policy/job-function/ViewOnlyAccess), or pick it from the list.",
      "permissions.managedPolicyArns.2": `There is no managed policy arn:aws:iam::${PROD}:policy/NotMadeYet in Production (${PROD}). Create it there first, or pick one from the list.`,
    });
    expect(refused.message).toMatch(/^Fix these 2 things first: AWS has no managed policy/);
    // Asked through Production's provisioning role, once per policy.
    const asked = await t.admin.calls({ since, service: "iam", action: "GetPolicy" });
    expect(asked.map((c) => c.outcome).sort()).toEqual(["NoSuchEntity", "NoSuchEntity", "Success"]);
    expect(asked.every((c) => String(c.caller).startsWith(`arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/`))).toBe(true);
  });

  it("refuses a permissions boundary that does not exist, at its field", async () => {
    const refused = await refusal(planRole(admin, wizard({ permissionsBoundaryArn: `arn:aws:iam::${PROD}:policy/NoBoundaryHere` }), meta));
    expect(refused.fields).toEqual({ "target.permissionsBoundaryArn": `The permissions boundary: There is no managed policy arn:aws:iam::${PROD}:policy/NoBoundaryHere in Production (${PROD}). Create it there first, or pick one from the list.` });
  });

  it("does not ask about a name or ARN the lint already refused", async () => {
    const since = await t.admin.lastSeq();
    const planned = await planRole(admin, wizard({}, [`arn:aws:iam::999999999999:policy/Elsewhere`]), meta);
    expect(planned.plan.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "managed-arn", severity: "error" })]));
    expect(await t.admin.calls({ since, service: "iam", action: "GetPolicy" })).toEqual([]);
  });

  it("says what it could not check instead of refusing, when the provisioning role may not read it", async () => {
    await t.admin.addFault({ service: "iam", action: "GetRole", code: "AccessDenied", status: 403, message: "not allowed to read roles" });
    const planned = await planRole(admin, wizard({ roleName: "AlreadyThere" }), meta);
    expect(planned.plan.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "role-name-unchecked", severity: "info", message: expect.stringContaining("AccessDenied: not allowed to read roles") })]));
  });

  it(`allows ${REVIEW_CHECKS.points} checks a minute per person, then refuses with a wait`, async () => {
    const busy = await addAdmin("busy@example.com");
    // An unregistered account is refused right after the count, without asking AWS.
    const cheap = wizardDocumentInput.parse({ target: { accountId: "555555555555", roleName: "x" }, trust: { entities: [{ kind: "broker" }] } });
    for (let i = 0; i < REVIEW_CHECKS.points; i++) expect((await refusal(planRole(busy, cheap, meta))).code).toBe("bad_request");
    const limited = await refusal(planRole(busy, cheap, meta));
    expect(limited.code).toBe("rate_limited");
    expect(limited.message).toMatch(/^You have checked roles against AWS 60 times in the last minute; wait (\d+ seconds?|1 minute) and try again\.$/);
    // Someone else is not held up.
    expect((await planRole(admin, wizard({}), meta)).plan.roleName).toBe("free-name");
  });
});

describe("the apply", () => {
  it("refuses a taken name and a missing policy before any IAM write", async () => {
    const since = await t.admin.lastSeq();
    const refused = await refusal(prepareApply(admin, wizard({ roleName: "AlreadyThere" }, [awsPolicy("NoSuchPolicy")]), { acknowledgeWarnings: true }));
    expect(refused.code).toBe("bad_request");
    expect(Object.keys(refused.fields).sort()).toEqual(["permissions.managedPolicyArns.0", "target.roleName"]);
    const writes = (await t.admin.calls({ since, service: "iam" })).filter((c) => !/^(Get|List)/.test(c.action));
    expect(writes).toEqual([]);
  });
});
