import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import type { WizardContext } from "@/components/wizard/types";
import { requirePage } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { getWizardContext } from "@/lib/provision/service";
import { WizardLoader } from "./wizard-loader";

export const metadata = { title: "Create role" };

// GET /roles/new — the role wizard (admins: provisioning.manage).
export default async function NewRolePage() {
  const actor = await requirePage("provisioning.manage");
  let context: WizardContext | null = null;
  let problem: string | null = null;
  try {
    context = await getWizardContext(actor);
  } catch (err) {
    // A message meant for people (the broker's identity cannot be found, …); anything else is a
    // bug and goes to the error page with its request id.
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  return (
    <>
      <PageHeader
        title="Create a role"
        description="A cross-account IAM role with both halves of the trust: who may assume it, what it may do, and the permission its callers need in their own accounts. Nothing is created until the last step."
        actions={
          <Link href="/roles" className={buttonClass("secondary")}>
            Back to Roles
          </Link>
        }
      />
      {context ? (
        <WizardLoader context={context} />
      ) : (
        <Alert title="The wizard cannot start">{problem}</Alert>
      )}
    </>
  );
}
