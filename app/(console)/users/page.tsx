import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { listUsers } from "@/lib/users/list-users";
import { UsersClient } from "./users-client";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePage("users.manage");
  const users = await listUsers(actor);
  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to the console, and their console role: administrators run the registry, operators switch into the roles granted to them, auditors read the audit log."
      />
      <UsersClient users={users} currentUserId={actor.id} />
    </>
  );
}
