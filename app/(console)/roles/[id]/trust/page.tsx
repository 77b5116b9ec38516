import Link from "next/link";
import { z } from "zod";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { getTrust, type TrustView } from "@/lib/provision/trust-update";
import { TrustEditor } from "./trust-editor";

export const metadata = { title: "Edit trust" };

const params = z.object({ id: z.string().min(1).max(64) });

// GET /roles/[id]/trust — a catalog role's live trust policy and an editor for a new one
// (admins: provisioning.manage).
export default async function EditTrustPage(props: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("provisioning.manage");
  const parsed = params.safeParse(await props.params);
  let view: TrustView | null = null;
  let problem: string | null = parsed.success ? null : "That is not a role id.";
  if (parsed.success) {
    try {
      view = await getTrust(actor, parsed.data.id);
    } catch (err) {
      // Messages meant for people (not in the catalog, the provisioning role cannot be assumed,
      // GetRole refused); anything else is a bug and goes to the error page.
      if (!(err instanceof AppError)) throw err;
      problem = err.message;
    }
  }
  return (
    <>
      <PageHeader
        title={view ? `Edit trust: ${view.role.displayName}` : "Edit trust"}
        description="Who may assume the role. The current policy is read live from IAM; the proposed one is checked as you type and written with UpdateAssumeRolePolicy when you save."
        actions={
          <Link href="/roles" className={buttonClass("secondary")}>
            Back to Roles
          </Link>
        }
      />
      {view ? <TrustEditor view={view} /> : <Alert title="The trust policy cannot be edited">{problem}</Alert>}
    </>
  );
}
