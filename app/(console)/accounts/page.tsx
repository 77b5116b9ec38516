import { Building2 } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission, requirePage } from "@/lib/auth/guard";

export const metadata = { title: "Accounts" };

export default async function AccountsPage() {
  const actor = await requirePage("accounts.read");
  return (
    <>
      <PageHeader title="Accounts" description="The AWS accounts your team works in, registered once for everyone." />
      <EmptyState icon={<Building2 className="h-5 w-5" aria-hidden />} title="No AWS accounts registered yet">
        {hasPermission(actor, "accounts.manage")
          ? "Register each AWS account your team uses — its 12-digit id, a name, its environment — or import them all from AWS Organizations through the console's AWS identity."
          : "An administrator registers the team's AWS accounts here. Once they have, and have granted you roles, you can switch into them from the header."}
      </EmptyState>
    </>
  );
}
