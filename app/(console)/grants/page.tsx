import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { listAccounts } from "@/lib/accounts/accounts";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { listGrants } from "@/lib/catalog/grants";
import { listRoles } from "@/lib/catalog/roles";
import { nowIso } from "@/lib/db/time";
import { listUsers } from "@/lib/users/list-users";
import { GrantsClient } from "./grants-client";
import type { AccountChoice, GrantRow, GrantsView, PersonChoice, RoleChoice } from "./types";

export const metadata = { title: "Grants" };

const one = (value: string | string[] | undefined, max = 320) => (typeof value === "string" ? value.slice(0, max) : "");

export default async function GrantsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("grants.manage");
  const params = await searchParams;
  const [grants, roles, accounts, users] = await Promise.all([
    listGrants(actor),
    listRoles(actor),
    listAccounts(actor),
    hasPermission(actor, "users.manage") ? listUsers(actor) : Promise.resolve([]),
  ]);
  const rows: GrantRow[] = grants.map((g) => ({
    id: g.id,
    roleId: g.roleId,
    roleLabel: g.roleLabel,
    roleArn: g.roleArn,
    accountRef: g.accountRef,
    accountName: g.accountName,
    user: g.user ? { email: g.user.email, name: g.user.name } : null,
    group: g.group,
    createdAt: g.createdAt,
    createdBy: g.createdBy,
    expiresAt: g.expiresAt,
  }));
  const roleChoices: RoleChoice[] = roles.map((r) => ({ id: r.id, label: r.displayName, roleName: r.roleName, accountRef: r.accountRef, accountName: r.accountName, awsAccountId: r.accountId }));
  const accountChoices: AccountChoice[] = accounts.map((a) => ({ id: a.id, name: a.name, awsAccountId: a.accountId }));
  const people: PersonChoice[] = users.filter((u) => !u.disabled).map((u) => ({ email: u.email, name: u.name }));
  // Groups the console has seen: in grants, and in what single sign-on sent for people.
  const groups = [...new Set(grants.flatMap((g) => (g.group ? [g.group] : [])))].sort();
  const view: GrantsView = {
    user: one(params.user),
    group: one(params.group, 256),
    account: one(params.account, 26),
    role: one(params.role, 200),
    grantTo: typeof params.grant === "string" ? params.grant.slice(0, 320) : null,
  };
  return (
    <>
      <PageHeader
        title="Grants"
        description="Who may switch into which role. Grant many roles to many people or identity-provider groups at once, find a person's or an account's grants, and remove them in bulk."
        actions={
          <Link href="/access-reviews" className="text-sm font-medium text-indigo-700 hover:underline">
            Review standing grants
          </Link>
        }
      />
      <GrantsClient asOf={Date.parse(nowIso())} grants={rows} roles={roleChoices} accounts={accountChoices} people={people} groups={groups} view={view} canRevoke={hasPermission(actor, "sessions.revoke")} />
    </>
  );
}
