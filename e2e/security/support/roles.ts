// A role to switch into, set up through the console's admin API.
import type { SandboxClient } from "../../support/sandbox";
import type { Client } from "./http";

/** A sandbox account of the spec's own (so specs never share registry entries), registered in
 * the console with its OrganizationAccountAccessRole (which trusts the broker's account), and
 * granted to `grantees`. */
export async function switchableRole(admin: Client, sandboxApi: SandboxClient, accountId: string, name: string, grantees: string[]): Promise<{ accountRef: string; roleId: string; roleArn: string }> {
  await sandboxApi.addAccount(accountId, name);
  // Idempotent: a retried worker runs its beforeAll again against the same console.
  const account = await admin.post("/api/v1/accounts", { json: { accountId, name } });
  if (account.status !== 201 && account.status !== 409) throw new Error(`Registering ${accountId}: ${account.status} ${account.text.slice(0, 300)}`);
  const accountRef = account.status === 201 ? account.json<{ account: { id: string } }>().account.id : (await admin.get(`/api/v1/accounts/${accountId}`)).json<{ account: { id: string } }>().account.id;
  // No SourceIdentity: these specs test the console's own checks, not what the role's trust allows.
  const role = await admin.post("/api/v1/roles", { json: { accountId, roleName: "OrganizationAccountAccessRole", displayName: `${name} admin`, sourceIdentity: false } });
  let registered: { id: string; roleArn: string };
  if (role.status === 201) registered = role.json<{ role: { id: string; roleArn: string } }>().role;
  else if (role.status === 409) {
    const existing = (await admin.get(`/api/v1/roles?accountId=${accountId}`)).json<{ roles: Array<{ id: string; roleArn: string; roleName: string }> }>().roles;
    registered = existing.find((r) => r.roleName === "OrganizationAccountAccessRole")!;
  } else throw new Error(`Registering the role in ${accountId}: ${role.status} ${role.text.slice(0, 300)}`);
  const { id: roleId, roleArn } = registered;
  for (const userEmail of grantees) {
    const grant = await admin.post("/api/v1/grants", { json: { roleId, userEmail } });
    if (grant.status !== 201) throw new Error(`Granting ${roleArn} to ${userEmail}: ${grant.status} ${grant.text.slice(0, 300)}`);
  }
  return { accountRef, roleId, roleArn };
}
