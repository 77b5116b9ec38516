import { PageHeader } from "@/components/ui/page-header";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { listGrants } from "@/lib/catalog/grants";
import { listUsers } from "@/lib/users/list-users";
import { UsersClient, type UserGrants } from "./users-client";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePage("users.manage");
  const canGrant = hasPermission(actor, "grants.manage");
  const [users, grants] = await Promise.all([listUsers(actor), canGrant ? listGrants(actor) : Promise.resolve([])]);
  let byUser: UserGrants | null = null;
  if (canGrant) {
    byUser = {};
    for (const g of grants) if (g.user) (byUser[g.user.email] ??= []).push({ roleLabel: g.roleLabel, accountName: g.accountName });
  }
  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to the console, and their console role: administrators run the registry, operators switch into the roles granted to them, auditors read the audit log."
      />
      <UsersClient users={users} currentUserId={actor.id} grants={byUser} />
    </>
  );
}
