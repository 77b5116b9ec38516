// What the IAM integration tests share: the seeded accounts, sessions in them through the
// broker, AWS's error triple (name, message, HTTP status) and small policy builders.
import { AttachRolePolicyCommand, CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { credsOf, type Creds, type TestSandbox } from "./testing";

export const PROD = "111111111111";
export const DEV = "222222222222";
export const OPS = "333333333333";
export const TEST = "444444444444";

export const roleArn = (account: string, name: string, path = "/") => `arn:aws:iam::${account}:role${path}${name}`;
export const userArn = (account: string, name: string, path = "/") => `arn:aws:iam::${account}:user${path}${name}`;
export const sessionArn = (account: string, role: string, session: string) => `arn:aws:sts::${account}:assumed-role/${role}/${session}`;
export const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
export const BROKER_ARN = userArn(OPS, "switchboard");

/** The error as a client sees it: the SDK's error name, AWS's message and the HTTP status. */
export type AwsFailure = { name: string; message: string; status?: number };

export async function failure(promise: Promise<unknown>): Promise<AwsFailure> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

/** AWS's AccessDenied text for an IAM action the caller's policies do not allow. */
export const notAuthorized = (caller: string, action: string, resource: string): AwsFailure => ({
  name: "AccessDenied",
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  status: 403,
});

/** Credentials of a session of `role`, assumed by `from` (the broker unless given). */
export async function session(t: TestSandbox, role: string, sessionName = "iam-tests", from: Creds = t.broker): Promise<Creds> {
  return credsOf(await t.sts(from).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: sessionName })));
}

/** An IAM client with AdministratorAccess in `account`: the broker in the account's
 * provisioning role, as the console's role wizard works. */
export async function adminIam(t: TestSandbox, account = PROD): Promise<IAMClient> {
  return t.iam(await session(t, roleArn(account, "OrganizationAccountAccessRole"), "admin"));
}

export const policyDocument = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const allow = (action: string | string[], resource: string | string[] = "*", condition?: object) => ({
  Effect: "Allow",
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});

/** A trust policy statement letting AWS principals assume the role. */
export const trusting = (principal: string | string[], action: string | string[] = "sts:AssumeRole") => ({
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: action,
});

export const trustPolicy = (...statements: object[]) => policyDocument(statements);

/** IAM returns documents URL-encoded; the SDK hands them over as they came. */
export const decoded = (document: string | undefined) => decodeURIComponent(document ?? "");

/** A role in Production that the broker may assume (naming a source identity), that may read IAM
 * and may chain into `<name>-target`; for the session-revocation tests. */
export async function revocableRole(t: TestSandbox, name: string): Promise<{ arn: string; target: string }> {
  const admin = await adminIam(t, PROD);
  const arn = roleArn(PROD, name);
  const target = roleArn(PROD, `${name}-target`);
  await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy(trusting(BROKER_ARN, ["sts:AssumeRole", "sts:SetSourceIdentity"])) }));
  await admin.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: awsPolicy("IAMReadOnlyAccess") }));
  await admin.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "chain", PolicyDocument: policyDocument([allow(["sts:AssumeRole", "sts:SetSourceIdentity"], target)]) }));
  await admin.send(new CreateRoleCommand({ RoleName: `${name}-target`, AssumeRolePolicyDocument: trustPolicy(trusting(arn, ["sts:AssumeRole", "sts:SetSourceIdentity"])) }));
  return { arn, target };
}

/** The inline deny that revokes sessions issued before `before`, as the IAM console's "Revoke
 * active sessions" writes it, narrowed to one person by `match` (another condition block).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html */
export const revocationDocument = (before: Date, match: Record<string, Record<string, string>>) =>
  policyDocument([{ Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": before.toISOString() }, ...match } }]);
