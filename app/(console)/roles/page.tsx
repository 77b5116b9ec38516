import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasPermission, requirePage } from "@/lib/auth/guard";

export const metadata = { title: "Roles" };

export default async function RolesPage() {
  const actor = await requirePage("roles.read");
  return (
    <>
      <PageHeader title="Roles" description="The IAM roles people can switch into, and who may use each one." />
      <EmptyState icon={<KeyRound className="h-5 w-5" aria-hidden />} title="No roles in the catalog yet">
        {hasPermission(actor, "roles.manage")
          ? "Register accounts first; then add their roles here — typed in, pasted as an ARN, or discovered from the account — and grant them to people or identity-provider groups."
          : "Roles appear here once an administrator has registered them and granted them to you."}
      </EmptyState>
    </>
  );
}
