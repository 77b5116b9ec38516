// Issue 14 §4, seed 003's credential_source: the Review step asks whether a trusted role is
// itself an EC2 instance role (or an ECS task role), through the trusted account's provisioning
// role, so that the ~/.aws/config export defaults to credential_source. The real store (SQLite),
// the real sandbox over HTTP, the real SDK; the trust policies are parsed as IAM returns them.
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testActor } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { DEV, PROD, TEST, adminIam, roleArn } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";
import { credentialSourceOfTrust, credentialSourceReason, parseTrustDocument, trustedRoleArns } from "./trusted-principal-source";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "provision-trusted-principal");

const { getDb } = await import("@/lib/db/client");
const { newId } = await import("@/lib/db/ids");
const { createAccount } = await import("@/lib/accounts/accounts");
const { checkTrustedPrincipals } = await import("./trusted-principal");

const meta = { requestId: "req-trusted-principal", ip: "192.0.2.81", userAgent: "vitest" };

async function addUser(email: string, role: "admin" | "operator"): Promise<Actor> {
  const db = await getDb();
  const id = newId();
  const now = new Date().toISOString();
  await db.insertInto("users").values({ id, email, name: email, role, password_hash: null, aws_identity: email, created_at: now, updated_at: now }).execute();
  return testActor({ id, email, name: email, role, awsIdentity: email });
}

const trust = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const service = (principal: string | string[], action: string | string[] = "sts:AssumeRole") => ({ Effect: "Allow", Principal: { Service: principal }, Action: action });

let admin: Actor;

beforeAll(async () => {
  admin = await addUser("trusted-principal@example.com", "admin");
  await createAccount(admin, { accountId: PROD, name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: DEV, name: "Development", environment: "development" }, meta);
  const dev = await adminIam(t, DEV);
  const roles: Array<[string, string, string?]> = [
    ["app-server", trust(service("ec2.amazonaws.com"))],
    ["batch-task", trust(service(["ecs-tasks.amazonaws.com"], ["sts:AssumeRole", "sts:TagSession"]))],
    ["people", trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" })],
    ["pathed-worker", trust(service("ec2.amazonaws.com", "sts:*")), "/workers/"],
  ];
  for (const [RoleName, AssumeRolePolicyDocument, Path] of roles) await dev.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument, ...(Path ? { Path } : {}) }));
});

afterEach(async () => {
  await t.admin.clearFaults();
});

describe("checkTrustedPrincipals, against the sandbox", () => {
  it("finds an EC2 instance role through the trusted account's provisioning role", async () => {
    const since = await t.admin.lastSeq();
    const [check] = await checkTrustedPrincipals(admin, [roleArn(DEV, "app-server")], meta);
    expect(check).toEqual({ principal: roleArn(DEV, "app-server"), status: "checked", roleName: "app-server", credentialSource: "Ec2InstanceMetadata", service: "ec2.amazonaws.com" });
    expect(credentialSourceReason(check as Extract<typeof check, { status: "checked" }>)).toBe("Role app-server is an EC2 instance role (it trusts ec2.amazonaws.com), so code using this profile runs there.");
    // Asked in Development, as its provisioning role, in a session named after the person.
    const asked = await t.admin.calls({ since, service: "iam", action: "GetRole" });
    expect(asked.map((c) => [c.accountId, c.outcome])).toEqual([[DEV, "Success"]]);
    expect(String(asked[0]!.caller)).toBe(`arn:aws:sts::${DEV}:assumed-role/OrganizationAccountAccessRole/trusted-principal@example.com`);
  });

  it("finds an ECS task role, a role under a path, and says nothing of a role that trusts an account", async () => {
    const checks = await checkTrustedPrincipals(admin, [roleArn(DEV, "batch-task"), roleArn(DEV, "pathed-worker", "/workers/"), roleArn(DEV, "people")], meta);
    expect(checks.map((c) => [c.roleName, c.status, c.status === "checked" ? c.credentialSource : c.reason])).toEqual([
      ["batch-task", "checked", "EcsContainer"],
      ["pathed-worker", "checked", "Ec2InstanceMetadata"],
      ["people", "checked", null],
    ]);
  });

  it("falls back without asking AWS when the trusted account is not registered", async () => {
    const since = await t.admin.lastSeq();
    const checks = await checkTrustedPrincipals(admin, [roleArn(TEST, "app-server")], meta);
    expect(checks).toEqual([
      { principal: roleArn(TEST, "app-server"), status: "unchecked", roleName: "app-server", reason: `Account ${TEST} is not registered in the console, so it could not check what role app-server trusts.` },
    ]);
    expect(await t.admin.calls({ since, service: "iam" })).toEqual([]);
  });

  it("falls back when the provisioning role may not read the role, or there is no such role", async () => {
    await t.admin.addFault({ service: "iam", action: "GetRole", code: "AccessDenied", status: 403, message: "not allowed to read roles", count: 1 });
    const [refused] = await checkTrustedPrincipals(admin, [roleArn(DEV, "app-server")], meta);
    expect(refused).toMatchObject({ status: "unchecked", reason: `The console could not read role app-server in Development (${DEV}) through its provisioning role (AccessDenied), so it could not check what the role trusts.` });
    const [missing] = await checkTrustedPrincipals(admin, [roleArn(PROD, "not-made-yet")], meta);
    expect(missing).toMatchObject({ status: "unchecked", reason: `Production (${PROD}) has no role not-made-yet (yet), so the console could not check what it trusts.` });
  });

  it("asks only about role ARNs, each once: no AWS call and no count for users, sessions or accounts", async () => {
    const since = await t.admin.lastSeq();
    expect(await checkTrustedPrincipals(admin, [`arn:aws:iam::${DEV}:user/developer`, `arn:aws:iam::${DEV}:root`, DEV, `arn:aws:sts::${DEV}:assumed-role/x/y`], meta)).toEqual([]);
    expect(await t.admin.calls({ since, service: "iam" })).toEqual([]);
    expect(await checkTrustedPrincipals(admin, [roleArn(DEV, "people"), roleArn(DEV, "people")], meta)).toHaveLength(1);
  });

  it("is for administrators who may provision roles only", async () => {
    const operator = await addUser("trusted-principal-operator@example.com", "operator");
    await expect(checkTrustedPrincipals(operator, [roleArn(DEV, "app-server")], meta)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("credentialSourceOfTrust", () => {
  const doc = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
  it.each<[string, unknown, string | null]>([
    ["EC2, one statement object", { Version: "2012-10-17", Statement: service("ec2.amazonaws.com") }, "Ec2InstanceMetadata"],
    ["EC2 in China's old spelling", doc(service("ec2.amazonaws.com.cn")), "Ec2InstanceMetadata"],
    ["ECS tasks with a wildcard action", doc(service("ecs-tasks.amazonaws.com", "sts:Assume*")), "EcsContainer"],
    ["EC2 and ECS: EC2 first", doc(service(["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"])), "Ec2InstanceMetadata"],
    ["EC2 with a condition", doc({ ...service("ec2.amazonaws.com"), Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }), "Ec2InstanceMetadata"],
    ["another service", doc(service("lambda.amazonaws.com")), null],
    ["EC2 for another action", doc(service("ec2.amazonaws.com", "sts:TagSession")), null],
    ["EC2 denied again", doc(service("ec2.amazonaws.com"), { ...service("ec2.amazonaws.com"), Effect: "Deny" }), null],
    ["anyone", doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }), null],
    ["an account", doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }), null],
    ["no document", null, null],
    ["a document without statements", { Version: "2012-10-17" }, null],
  ])("%s", (_name, document, expected) => {
    expect(credentialSourceOfTrust(document)?.source ?? null).toBe(expected);
  });

  it("reads GetRole's URL-encoded document and plain JSON, and nothing else", () => {
    const json = JSON.stringify(doc(service("ec2.amazonaws.com")));
    expect(parseTrustDocument(encodeURIComponent(json))).toEqual(JSON.parse(json));
    expect(parseTrustDocument(json)).toEqual(JSON.parse(json));
    expect(parseTrustDocument("%E0%A4%A")).toBeNull();
    expect(parseTrustDocument(undefined)).toBeNull();
  });

  it("keeps role ARNs only, each once, at most five", () => {
    const roles = Array.from({ length: 7 }, (_, i) => roleArn(DEV, `r${i}`));
    expect(trustedRoleArns([roles[0]!, roles[0]!, `arn:aws:iam::${DEV}:user/u`, "*", `arn:aws-us-gov:iam::${DEV}:role/gov`, `${roles[1]!}\n`])).toEqual([roles[0], `arn:aws-us-gov:iam::${DEV}:role/gov`]);
    expect(trustedRoleArns(roles)).toHaveLength(5);
  });
});
