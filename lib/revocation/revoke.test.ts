// Revoking live sessions end to end below the UI: the real store (SQLite), the real sandbox over
// HTTP, the real SDK. Two people hold sessions in the same role; one is revoked; the sandbox,
// which authorizes every call of a role session against the role's policies with the session's
// aws:userid and aws:TokenIssueTime, refuses the revoked one and serves the other.
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { session } from "@/sandbox/iam-test-support";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "revocation");
const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { startSession } = await import("@/lib/sessions/start-session");
const { revokeRoleSessions, revokeUserSessions } = await import("./revoke");
const { REVOCATION_POLICY_NAME } = await import("./policy");

const meta = { requestId: "req-revocation-test", ip: "198.51.100.7", userAgent: "vitest" };
let admin: Actor;
const people: Record<"ana" | "bo", Actor> = {} as Record<"ana" | "bo", Actor>;
const roles = { readOnly: "", testers: "" };

const addUser = addTestUser;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const keys = ({ accessKeyId, secretAccessKey, sessionToken }: Creds) => ({ accessKeyId, secretAccessKey, sessionToken });
const iamWith = (c: Creds) => new IAMClient({ endpoint: t.url, region: "us-east-1", credentials: keys(c), maxAttempts: 1 });
const stsWith = (c: Creds) => new STSClient({ endpoint: t.url, region: "us-east-1", credentials: keys(c), maxAttempts: 1 });

async function credentialsFor(actor: Actor, roleId: string): Promise<Creds> {
  const s = await startSession(actor, { roleId, kind: "credentials" }, meta);
  if (s.kind !== "credentials") throw new Error("expected credentials");
  return s.credentials;
}

/** The revocation policy on Production's ReadOnly, as IAM holds it (read as an administrator). */
async function revocationPolicy(): Promise<string | null> {
  const prod = t.iam(await session(t, "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", "inspect"));
  try {
    const out = await prod.send(new GetRolePolicyCommand({ RoleName: "ReadOnly", PolicyName: REVOCATION_POLICY_NAME }));
    return decodeURIComponent(out.PolicyDocument ?? "");
  } catch {
    return null;
  }
}

async function revokeEvents() {
  const db = await getDb();
  return db.selectFrom("audit_events").selectAll().where("action", "=", "session.revoke").orderBy("id").execute();
}

beforeAll(async () => {
  admin = await addUser("ada@example.com", "admin");
  people.ana = await addUser("ana@example.com", "operator");
  people.bo = await addUser("bo@example.com", "operator");
  await createAccount(admin, { accountId: "111111111111", name: "Production", environment: "production" }, meta);
  await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test" }, meta);
  roles.readOnly = (await registerRole(admin, { accountId: "111111111111", roleName: "ReadOnly" }, meta)).id;
  roles.testers = (await registerRole(admin, { accountId: "444444444444", roleName: "DevelopmentTesters" }, meta)).id;
  for (const person of Object.values(people)) await createGrant(admin, { roleId: roles.readOnly, userEmail: person.email }, meta);
});

describe("revoking one person's sessions in a role", () => {
  it("denies the revoked person's live session and leaves the other person's working", async () => {
    const ana = await credentialsFor(people.ana, roles.readOnly);
    const bo = await credentialsFor(people.bo, roles.readOnly);
    await expect(iamWith(ana).send(new GetRoleCommand({ RoleName: "ReadOnly" }))).resolves.toBeDefined();

    const result = await revokeRoleSessions(admin, roles.readOnly, { userEmail: "ana@example.com" }, meta);

    expect(result).toMatchObject({ roleId: roles.readOnly, roleArn: "arn:aws:iam::111111111111:role/ReadOnly", accountName: "Production", ok: true });
    expect(result.message).toContain("ana@example.com");
    const policy = JSON.parse((await revocationPolicy())!) as { Statement: Array<{ Effect: string; Condition: Record<string, Record<string, string>> }> };
    // The entry sets SourceIdentity, so a session chained from Ana's (another name, her source
    // identity) is denied too.
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Condition: expect.objectContaining({ StringLike: { "aws:userid": "*:ana@example.com" } }) }),
      expect.objectContaining({ Effect: "Deny", Condition: expect.objectContaining({ StringEquals: { "aws:SourceIdentity": "ana@example.com" } }) }),
    ]);

    const denied = await iamWith(ana).send(new GetRoleCommand({ RoleName: "ReadOnly" })).catch((err: unknown) => err);
    expect(denied).toMatchObject({ name: "AccessDenied" });
    expect((denied as Error).message).toMatch(/explicit deny in an identity-based policy/);
    await expect(iamWith(bo).send(new GetRoleCommand({ RoleName: "ReadOnly" }))).resolves.toBeDefined();
    // Who you are is never denied (AWS answers GetCallerIdentity whatever the policies say).
    await expect(stsWith(ana).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: "arn:aws:sts::111111111111:assumed-role/ReadOnly/ana@example.com" });

    // A session Ana starts after the revocation works: the deny covers sessions issued before it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fresh = await credentialsFor(people.ana, roles.readOnly);
    await expect(iamWith(fresh).send(new GetRoleCommand({ RoleName: "ReadOnly" }))).resolves.toBeDefined();

    const [event] = (await revokeEvents()).slice(-1);
    expect(event).toMatchObject({ outcome: "success", actor_id: admin.id, target_type: "role", target_id: roles.readOnly, aws_account_id: "111111111111" });
    expect(JSON.parse(event!.details)).toMatchObject({ scope: "person", person: "ana@example.com", sessionName: "ana@example.com" });
  });

  it("revokes a person across every role entry they used, from the audit log", async () => {
    await credentialsFor(people.bo, roles.readOnly);
    const before = (await revokeEvents()).length;

    const result = await revokeUserSessions(admin, people.bo.id, meta);

    expect(result.user).toEqual({ id: people.bo.id, email: "bo@example.com" });
    expect(result.roles).toEqual([expect.objectContaining({ roleId: roles.readOnly, ok: true })]);
    const policy = (await revocationPolicy())!;
    expect(policy).toContain("*:bo@example.com");
    expect((await revokeEvents()).length).toBe(before + 1);
  });

  it("revokes everyone in a role, like the IAM console's Revoke active sessions", async () => {
    const bo = await credentialsFor(people.bo, roles.readOnly);
    await revokeRoleSessions(admin, roles.readOnly, {}, meta);
    const policy = JSON.parse((await revocationPolicy())!) as { Statement: Array<{ Condition: Record<string, unknown> }> };
    // Everyone's statement makes the older per-person statements redundant.
    expect(policy.Statement).toHaveLength(1);
    expect(Object.keys(policy.Statement[0]!.Condition)).toEqual(["DateLessThan"]);
    await expect(iamWith(bo).send(new GetRoleCommand({ RoleName: "ReadOnly" }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("what is refused, and said", () => {
  it("is for administrators only", async () => {
    await expect(revokeRoleSessions(people.ana, roles.readOnly, {}, meta)).rejects.toMatchObject({ code: "forbidden" });
    await expect(revokeUserSessions(people.ana, people.bo.id, meta)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("says who is unknown", async () => {
    await expect(revokeRoleSessions(admin, roles.readOnly, { userEmail: "nobody@example.com" }, meta)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeRoleSessions(admin, "01JAAAAAAAAAAAAAAAAAAAAAAA", {}, meta)).rejects.toMatchObject({ code: "not_found" });
  });

  it("records and explains a role whose provisioning role cannot be used", async () => {
    const db = await getDb();
    await db.updateTable("accounts").set({ provisioning_role_name: "NoSuchProvisioningRole" }).where("aws_account_id", "=", "444444444444").execute();
    const err = await revokeRoleSessions(admin, roles.testers, { userEmail: "ana@example.com" }, meta).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "aws_denied" });
    expect((err as Error).message).toMatch(/^Could not revoke sessions in arn:aws:iam::444444444444:role\/DevelopmentTesters through the provisioning role NoSuchProvisioningRole: /);
    const [event] = (await revokeEvents()).slice(-1);
    expect(event).toMatchObject({ outcome: "failure", target_id: roles.testers, aws_account_id: "444444444444", reason: (err as Error).message });
  });
});
