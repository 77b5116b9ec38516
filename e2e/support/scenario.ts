// What a switch-scenario test needs, set up through the API for that test alone, so that each
// test passes on its own and in any order: an operator of its own, granted the seeded
// Production roles ReadOnly and ThirdPartyAuditor (with its agreed ExternalId), and not granted
// the Test account's DevelopmentTesters. The accounts and role entries are shared with any spec
// that registered them first (a role is registered once per console); the grants, the only thing
// the tests depend on that differs per person, are this operator's own.
import type { APIRequestContext } from "@playwright/test";
import { createUser, expect, signInAsAdmin } from "../fixtures";
import { uniqueEmail } from "./accounts";

export const PRODUCTION = "111111111111";
export const TEST_ACCOUNT = "444444444444";
/** The ExternalId the sandbox's ThirdPartyAuditor trust policy requires. */
export const AUDITOR_EXTERNAL_ID = "switchboard-demo-7f3a9c2e";

export type Operator = { email: string; password: string; name: string };
export type Scenario = { operator: Operator; roleIds: { readOnly: string; auditor: string; testers: string } };

/** A sandbox account in the console's registry, whoever registered it first. */
export async function ensureAccount(admin: APIRequestContext, accountId: string, name: string): Promise<void> {
  const res = await admin.post("/api/v1/accounts", { data: { accountId, name } });
  expect([201, 409], await res.text()).toContain(res.status());
}

/** The catalog entry for an IAM role, registering it if no one has. */
export async function registeredRoleId(admin: APIRequestContext, accountId: string, roleName: string): Promise<string> {
  const created = await admin.post("/api/v1/roles", { data: { accountId, roleName } });
  if (created.status() === 201) return ((await created.json()) as { role: { id: string } }).role.id;
  expect(created.status(), await created.text()).toBe(409);
  const { roles } = (await (await admin.get(`/api/v1/roles?accountId=${accountId}`)).json()) as { roles: Array<{ id: string; roleName: string }> };
  const role = roles.find((r) => r.roleName === roleName);
  if (!role) throw new Error(`${roleName} in ${accountId} is neither registrable nor registered`);
  return role.id;
}

export async function grant(admin: APIRequestContext, roleId: string, userEmail: string): Promise<void> {
  const res = await admin.post("/api/v1/grants", { data: { roleId, userEmail } });
  expect(res.status(), await res.text()).toBe(201);
}

/** A new operator granted ReadOnly and ThirdPartyAuditor in Production, through `admin`'s
 * request context (signed in here). */
export async function grantedOperator(admin: APIRequestContext): Promise<Scenario> {
  await signInAsAdmin(admin);
  await ensureAccount(admin, PRODUCTION, "Production");
  await ensureAccount(admin, TEST_ACCOUNT, "Test");
  const roleIds = {
    readOnly: await registeredRoleId(admin, PRODUCTION, "ReadOnly"),
    auditor: await registeredRoleId(admin, PRODUCTION, "ThirdPartyAuditor"),
    testers: await registeredRoleId(admin, TEST_ACCOUNT, "DevelopmentTesters"),
  };
  // What the tests rely on, whatever another spec left on these shared entries: sessions carry
  // the person's identity as SourceIdentity, and the auditor role sends its ExternalId.
  for (const [id, settings] of [
    [roleIds.readOnly, { sourceIdentity: true }],
    [roleIds.auditor, { externalId: AUDITOR_EXTERNAL_ID }],
  ] as const) {
    const res = await admin.patch(`/api/v1/roles/${id}`, { data: settings });
    expect(res.status(), await res.text()).toBe(200);
  }
  const operator = { email: uniqueEmail("olga.ops"), password: "olga-operator-password", name: "Olga Operator" };
  await createUser(admin, { ...operator, role: "operator" });
  await grant(admin, roleIds.readOnly, operator.email);
  await grant(admin, roleIds.auditor, operator.email);
  return { operator, roleIds };
}

/** Creates an IAM role in a registered account through the console's provisioning, then takes it
 * out of the catalog again (the IAM role stays), so that Discover finds it unregistered. */
export async function createUnregisteredRole(
  admin: APIRequestContext,
  accountId: string,
  roleName: string,
  trust: Record<string, unknown>,
  opts: { description?: string; managed?: string; maxSessionDuration?: number } = {},
): Promise<void> {
  const applied = await admin.post("/api/v1/provisioning/apply", {
    data: {
      document: {
        target: { accountId, roleName, path: "/", description: opts.description ?? "End-to-end test", maxSessionDuration: opts.maxSessionDuration ?? 3600, tags: [] },
        trust,
        permissions: { managedPolicyArns: [opts.managed ?? "arn:aws:iam::aws:policy/ReadOnlyAccess"], inline: [] },
        applySourcePolicies: [],
      },
      acknowledgeWarnings: true,
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  const result = (await applied.json()) as { ok: boolean; role: { id: string } };
  expect(result.ok).toBe(true);
  expect((await admin.delete(`/api/v1/roles/${result.role.id}`)).status()).toBe(200);
}
