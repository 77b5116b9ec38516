import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { listAccounts } from "@/lib/accounts/accounts";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { listGrants } from "@/lib/catalog/grants";
import { listRoles } from "@/lib/catalog/roles";
import { listUsers } from "@/lib/users/list-users";
import { RolesClient } from "./roles-client";
import type { AccountOption, GrantView, UserOption } from "./types";

export const metadata = { title: "Roles" };

export default async function RolesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("roles.read");
  const { account } = await searchParams;
  const canManage = hasPermission(actor, "roles.manage");
  const canGrant = hasPermission(actor, "grants.manage");
  const canRevoke = hasPermission(actor, "sessions.revoke");
  const [roles, accounts, grants, users] = await Promise.all([
    listRoles(actor),
    listAccounts(actor),
    canGrant ? listGrants(actor) : Promise.resolve([]),
    canGrant && hasPermission(actor, "users.manage") ? listUsers(actor) : Promise.resolve([]),
  ]);
  const accountOptions: AccountOption[] = accounts.map((a) => ({
    id: a.id,
    accountId: a.accountId,
    name: a.name,
    environment: a.environment,
    color: a.color,
    partition: a.partition,
    defaultRegion: a.defaultRegion,
  }));
  const grantViews: GrantView[] = grants.map((g) => ({ id: g.id, roleId: g.roleId, user: g.user ? { email: g.user.email, name: g.user.name } : null, group: g.group, expiresAt: g.expiresAt }));
  const userOptions: UserOption[] = users.filter((u) => !u.disabled).map((u) => ({ email: u.email, name: u.name }));
  return (
    <>
      <PageHeader
        title="Roles"
        description={
          canManage
            ? "The IAM roles people can switch into, by account, and who may use each one. Test a role to check that the console can assume it."
            : "The IAM roles you can switch into, by account. Use Switch role in the header to open one."
        }
        actions={
          hasPermission(actor, "provisioning.manage") ? (
            <Link href="/roles/new" className={buttonClass("primary")}>
              Create a new IAM role
            </Link>
          ) : null
        }
      />
      <RolesClient
        roles={roles}
        accounts={accountOptions}
        grants={grantViews}
        users={userOptions}
        canManage={canManage}
        canGrant={canGrant}
        canRevoke={canRevoke}
        initialAccount={typeof account === "string" && /^\d{12}$/.test(account) ? account : ""}
      />
    </>
  );
}
