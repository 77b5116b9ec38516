import { PageHeader } from "@/components/ui/page-header";
import { listAccounts } from "@/lib/accounts/accounts";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { AccountsClient } from "./accounts-client";

export const metadata = { title: "Accounts" };

export default async function AccountsPage() {
  const actor = await requirePage("accounts.read");
  const accounts = await listAccounts(actor);
  return (
    <>
      <PageHeader
        title="Accounts"
        description="The AWS accounts your team works in, registered once for everyone. Each account's roles are on the Roles page."
      />
      <AccountsClient accounts={accounts} canManage={hasPermission(actor, "accounts.manage")} />
    </>
  );
}
