// Revoking one person's live sessions of a role, as AWS does: an inline Deny of every action on
// the role, conditioned on the session's issue time and on who it is (`aws:userid` ends in the
// session name, or `aws:SourceIdentity`). Every call with the role's credentials is authorized
// against the role's policies in the session's request context, so the revoked sessions get an
// explicit deny while the others, and the same person's later sessions, keep working.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
import { GetRoleCommand, ListRolesCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminIam, failure, PROD, revocableRole, revocationDocument, sessionArn } from "./iam-test-support";
import { credsOf, type Creds, type TestSandbox, startTestSandbox } from "./testing";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

const explicitDeny = (caller: string, action: string, resource: string) => ({
  name: "AccessDenied",
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`,
  status: 403,
});

async function assume(from: Creds, roleArn: string, sessionName: string, sourceIdentity?: string) {
  const out = await t.sts(from).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, SourceIdentity: sourceIdentity }));
  return credsOf(out);
}

/** Puts the revocation on the role, dated one second after the sessions so far, and moves the
 * clock past it so that sessions issued from now on are not covered. */
async function revoke(roleName: string, match: Record<string, Record<string, string>>, policyName: string) {
  const before = new Date((await t.admin.now()).getTime() + 1000);
  const admin = await adminIam(t, PROD);
  await admin.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: revocationDocument(before, match) }));
  await t.admin.advanceClock(5);
}

/** The calls a person makes with a role session: read IAM, list roles, chain into another role. */
async function works(creds: Creds, roleName: string, target: string) {
  await t.iam(creds).send(new GetRoleCommand({ RoleName: roleName }));
  await t.iam(creds).send(new ListRolesCommand({}));
  await t.sts(creds).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "chained" }));
}

describe("revoking one person's sessions by session name (aws:userid)", () => {
  it("denies the person's earlier sessions every IAM and STS call but GetCallerIdentity; others and later sessions keep working", async () => {
    const { arn, target } = await revocableRole(t, "RevokeByName");
    const alice = await assume(t.broker, arn, "alice");
    const bob = await assume(t.broker, arn, "bob");
    await works(alice, "RevokeByName", target);

    await revoke("RevokeByName", { StringLike: { "aws:userid": "*:alice" } }, "revoke-alice");

    const aliceArn = sessionArn(PROD, "RevokeByName", "alice");
    expect(await failure(t.iam(alice).send(new GetRoleCommand({ RoleName: "RevokeByName" })))).toEqual(explicitDeny(aliceArn, "iam:GetRole", arn));
    expect(await failure(t.iam(alice).send(new ListRolesCommand({})))).toEqual(explicitDeny(aliceArn, "iam:ListRoles", `arn:aws:iam::${PROD}:role/`));
    expect(await failure(t.sts(alice).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "chained" })))).toEqual(
      explicitDeny(aliceArn, "sts:AssumeRole", target),
    );
    // AWS never denies GetCallerIdentity, so a revoked session can still ask who it is.
    const id = await t.sts(alice).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(aliceArn);
    expect(id.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice$/);

    await works(bob, "RevokeByName", target);
    const aliceAgain = await assume(t.broker, arn, "alice");
    await works(aliceAgain, "RevokeByName", target);
  });
});

describe("revoking one person's sessions by source identity (aws:SourceIdentity)", () => {
  it("denies the person's sessions, whatever they are named, and the sessions they chained from them", async () => {
    const { arn, target } = await revocableRole(t, "RevokeBySource");
    const alice = await assume(t.broker, arn, "shared-name", "alice@example.com");
    const bob = await assume(t.broker, arn, "shared-name", "bob@example.com");
    // The chained session inherits the source identity, and was issued before the revocation.
    const aliceChained = await assume(alice, target, "chained");

    await revoke("RevokeBySource", { StringEquals: { "aws:SourceIdentity": "alice@example.com" } }, "revoke-alice");
    const admin = await adminIam(t, PROD);
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: "RevokeBySource-target",
        PolicyName: "revoke-alice",
        PolicyDocument: revocationDocument(await t.admin.now(), { StringEquals: { "aws:SourceIdentity": "alice@example.com" } }),
      }),
    );

    const aliceArn = sessionArn(PROD, "RevokeBySource", "shared-name");
    expect(await failure(t.iam(alice).send(new GetRoleCommand({ RoleName: "RevokeBySource" })))).toEqual(explicitDeny(aliceArn, "iam:GetRole", arn));
    expect(await failure(t.sts(alice).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: "chained" })))).toEqual(
      explicitDeny(aliceArn, "sts:AssumeRole", target),
    );
    expect(await failure(t.iam(aliceChained).send(new GetRoleCommand({ RoleName: "RevokeBySource" })))).toEqual(
      explicitDeny(sessionArn(PROD, "RevokeBySource-target", "chained"), "iam:GetRole", arn),
    );
    expect((await t.sts(alice).send(new GetCallerIdentityCommand({}))).Arn).toBe(aliceArn);

    await works(bob, "RevokeBySource", target);
    await works(await assume(t.broker, arn, "shared-name", "alice@example.com"), "RevokeBySource", target);
  });
});

describe("the console page of a revoked session", () => {
  const sessionParam = (c: Creds) => JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });

  /** Signs a browser in with the credentials and returns its console cookie. */
  async function signIn(creds: Creds): Promise<string> {
    const token = await fetch(`${t.url}/federation?${new URLSearchParams({ Action: "getSigninToken", Session: sessionParam(creds) })}`);
    const { SigninToken } = (await token.json()) as { SigninToken: string };
    const login = await fetch(
      `${t.url}/federation?${new URLSearchParams({ Action: "login", Issuer: "http://localhost:3000/", Destination: `${t.url}/console/home`, SigninToken })}`,
      { redirect: "manual" },
    );
    return login.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("says the session is revoked, naming the denying policy, while another person's console still works", async () => {
    const { arn } = await revocableRole(t, "RevokeConsole");
    const aliceCookie = await signIn(await assume(t.broker, arn, "alice"));
    const bobCookie = await signIn(await assume(t.broker, arn, "bob"));
    const before = await fetch(`${t.url}/console/home`, { headers: { cookie: aliceCookie } });
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('data-testid="console-signed-in"');

    await revoke("RevokeConsole", { StringLike: { "aws:userid": "*:alice" } }, "revoke-alice");

    const revoked = await fetch(`${t.url}/console/home`, { headers: { cookie: aliceCookie } });
    expect(revoked.status).toBe(403);
    const html = await revoked.text();
    expect(html).toContain('data-testid="console-revoked"');
    expect(html).toContain(
      "Your session has been revoked: an explicit deny in an identity-based policy (role RevokeConsole inline policy revoke-alice) denies every action.",
    );
    expect(html).toContain(sessionArn(PROD, "RevokeConsole", "alice"));

    const other = await fetch(`${t.url}/console/home`, { headers: { cookie: bobCookie } });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('data-testid="console-signed-in"');
  });

  it("keeps the normal page when a deny covers only some actions", async () => {
    const { arn } = await revocableRole(t, "PartialDeny");
    const cookie = await signIn(await assume(t.broker, arn, "carol"));
    const admin = await adminIam(t, PROD);
    await admin.send(
      new PutRolePolicyCommand({
        RoleName: "PartialDeny",
        PolicyName: "no-deletes",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:Delete*", Resource: "*" }] }),
      }),
    );
    const res = await fetch(`${t.url}/console/home`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-testid="console-signed-in"');
  });
});
