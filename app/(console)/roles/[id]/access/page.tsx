import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { getEligibility, type EligibilityDto } from "@/lib/access/policy";
import { requirePage } from "@/lib/auth/guard";
import { idField } from "@/lib/catalog/schemas";
import { AppError } from "@/lib/errors";
import { AccessPolicyForm } from "./access-policy-form";

export const metadata = { title: "Access on request" };

// GET /roles/[id]/access — who may ask for a role entry, and the rules their requests follow
// (administrators: grants.manage).
export default async function RoleAccessPage(props: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("grants.manage");
  const parsed = idField("Role id").safeParse((await props.params).id);
  let view: EligibilityDto | null = null;
  let problem: string | null = parsed.success ? null : "That is not a role id.";
  if (parsed.success) {
    try {
      view = await getEligibility(actor, parsed.data);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem = err.message;
    }
  }
  return (
    <>
      <PageHeader
        title={view ? `Access on request: ${view.roleLabel}` : "Access on request"}
        description="Instead of standing access, people can ask for this role for a time, with a reason; approvers decide, and the access ends by itself."
        actions={
          <Link href="/roles" className={buttonClass("secondary")}>
            Back to Roles
          </Link>
        }
      />
      {view ? <AccessPolicyForm view={view} /> : <Alert title="This role entry cannot be opened">{problem}</Alert>}
    </>
  );
}
